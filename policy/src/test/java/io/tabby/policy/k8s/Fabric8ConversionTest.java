package io.tabby.policy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.tabby.policy.model.Peer;
import io.tabby.policy.model.PolicyType;
import io.tabby.policy.model.PortMatch;
import io.tabby.policy.model.Protocol;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The agent's path: Fabric8 model objects, turned into a Jackson tree, through the same converter. */
class Fabric8ConversionTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void networkPolicyFromFabric8() {
        NetworkPolicy np = new NetworkPolicyBuilder()
                .withNewMetadata().withName("api").withNamespace("shop").endMetadata()
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(Map.of("app", "api")).endPodSelector()
                .addNewIngress()
                .addNewFrom().withNewNamespaceSelector().withMatchLabels(Map.of("team", "web")).endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(Map.of("app", "frontend")).endPodSelector().endFrom()
                .addNewPort().withPort(new IntOrString("http")).endPort()
                .addNewPort().withProtocol("UDP").withPort(new IntOrString(5000)).withEndPort(5010).endPort()
                .endIngress()
                .endSpec()
                .build();
        io.tabby.policy.model.NetworkPolicy p = KubeObjects.networkPolicy(mapper.valueToTree(np));
        assertThat(p.key()).isEqualTo("shop/api");
        assertThat(p.policyTypes()).isEqualTo(Set.of(PolicyType.Ingress));
        assertThat(p.ingress().getFirst().ports()).containsExactly(
                PortMatch.named(Protocol.TCP, "http"), new PortMatch(Protocol.UDP, new PortMatch.Range(5000, 5010)));
        assertThat(((Peer.Pods) p.ingress().getFirst().peers().getFirst()).canonical("shop"))
                .isEqualTo("nsSel{team=web} pods{app=frontend}");
    }

    @Test
    void invalidFabric8PolicyNamesTheField() {
        NetworkPolicy np = new NetworkPolicyBuilder()
                .withNewMetadata().withName("bad").withNamespace("shop").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector()
                .addNewEgress().addNewTo().withNewIpBlock().withCidr("10.0.0.0/33").endIpBlock().endTo().endEgress()
                .endSpec().build();
        assertThatThrownBy(() -> KubeObjects.networkPolicy(mapper.valueToTree(np)))
                .isInstanceOf(InvalidObjectException.class)
                .hasMessage("NetworkPolicy shop/bad: spec.egress[0].to[0].ipBlock.cidr: invalid CIDR \"10.0.0.0/33\": prefix length out of range");
    }

    @Test
    void podFromFabric8() {
        Pod pod = new PodBuilder().withNewMetadata().withName("a").withNamespace("x").withLabels(Map.of("pod", "a")).endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("c")
                .addNewPort().withName("serve-80-tcp").withContainerPort(80).endPort().endContainer().endSpec()
                .withNewStatus().withPodIP("10.244.1.5").endStatus().build();
        KubeObjects.PodSpec p = KubeObjects.pod(mapper.valueToTree(pod));
        assertThat(p.ip()).isEqualTo("10.244.1.5");
        assertThat(p.node()).isEqualTo("n1");
        assertThat(p.ports()).singleElement().extracting(io.tabby.policy.model.ContainerPort::protocol).isEqualTo(Protocol.TCP);
    }
}
