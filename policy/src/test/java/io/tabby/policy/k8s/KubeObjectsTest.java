package io.tabby.policy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.policy.conformance.E2eModel;
import io.tabby.policy.eval.Evaluator;
import io.tabby.policy.model.PolicyType;
import io.tabby.policy.model.Protocol;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bad input: each case must be reported naming the object and the field, and lose nothing else. */
class KubeObjectsTest {

    private static ManifestLoader.Result load(String yaml) {
        return new ManifestLoader().load(List.of(new ManifestLoader.Source("in.yaml", E2eModel.yaml() + yaml)));
    }

    private static String policy(String name, String spec) {
        return "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + name
                + ", namespace: x}\nspec:\n" + spec.lines().map(l -> "  " + l.strip() + "\n").reduce("", String::concat);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "invalid CIDR|  ingress: [{from: [{ipBlock: {cidr: 10.0.0.300/8}}]}]|spec.ingress[0].from[0].ipBlock.cidr: invalid IP address",
        "except outside block|  ingress: [{from: [{ipBlock: {cidr: 10.1.0.0/16, except: [10.2.0.0/24]}}]}]|spec.ingress[0].from[0].ipBlock.except[0]: except 10.2.0.0/24 is not strictly inside cidr 10.1.0.0/16",
        "unknown protocol|  ingress: [{ports: [{protocol: ICMP, port: 80}]}]|spec.ingress[0].ports[0].protocol: unknown protocol \"ICMP\"",
        "endPort below port|  egress: [{ports: [{port: 90, endPort: 80}]}]|spec.egress[0].ports[0].endPort: endPort 80 is below port 90",
        "endPort with named port|  ingress: [{ports: [{port: serve-80-tcp, endPort: 90}]}]|spec.ingress[0].ports[0].endPort: endPort cannot be used with the named port",
        "bad selector operator|  podSelector: {matchExpressions: [{key: pod, operator: Equals, values: [a]}]}|spec.podSelector.matchExpressions[0].operator: unknown selector operator \"Equals\"",
        "unknown field|  ingress: [{form: [{podSelector: {}}]}]|spec.ingress[0].form: unknown field",
        "ipBlock with selector|  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]|spec.ingress[0].from[0]: ipBlock may not be combined",
        "In without values|  podSelector: {matchExpressions: [{key: pod, operator: In}]}|spec.podSelector.matchExpressions[0]: operator In on key \"pod\" needs at least one value",
        "port out of range|  ingress: [{ports: [{port: 70000}]}]|spec.ingress[0].ports[0].port: port 70000 out of range",
        "bad policy type|  policyTypes: [Sideways]|spec.policyTypes[0]: unknown policy type",
    })
    void badPolicyIsReportedByObjectAndFieldAndTheRestStillLoads(String what, String spec, String message) {
        ManifestLoader.Result r = load(policy("bad", spec) + policy("good", "  podSelector: {matchLabels: {pod: a}}\n"));
        assertThat(r.errors()).singleElement().asString()
                .startsWith("in.yaml: NetworkPolicy x/bad: ")
                .contains(message);
        assertThat(r.cluster().policies()).extracting(p -> p.key()).containsExactly("x/good");
        // The good policy is enforced: x/a is isolated for ingress.
        Evaluator ev = new Evaluator(r.cluster());
        assertThat(ev.explain(r.cluster().endpoint("y/b").orElseThrow(), r.cluster().endpoint("x/a").orElseThrow(),
                Protocol.TCP, 80).allowed()).isFalse();
    }

    @Test
    void legacyCidrWithHostBitsIsMaskedNotRejected() {
        ManifestLoader.Result r = load(policy("legacy", "  ingress: [{from: [{ipBlock: {cidr: 10.244.1.1/24}}]}]\n"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.cluster().policies().getFirst().ingress().getFirst().peers().getFirst().toString()).contains("10.244.1.0/24");
    }

    @Test
    void policyTypesAreDefaultedAsTheApiServerDoes() {
        ManifestLoader.Result r = load(policy("p1", "  podSelector: {}\n")
                + policy("p2", "  egress: [{}]\n")
                + policy("p3", "  egress: []\n")
                + policy("p4", "  policyTypes: [Egress]\n  ingress: [{}]\n"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.cluster().policies()).extracting(p -> p.name() + "=" + p.policyTypes().stream().sorted().toList())
                .containsExactly("p1=[Ingress]", "p2=[Ingress, Egress]", "p3=[Ingress]", "p4=[Egress]");
        assertThat(r.cluster().policies().get(3).rules(PolicyType.Ingress)).isEmpty();
    }

    @Test
    void deploymentsExpandToPodsWithAssignedAddresses() {
        ManifestLoader.Result r = new ManifestLoader().load(List.of(new ManifestLoader.Source("d.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 2
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: c
                        ports: [{name: http, containerPort: 8080}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: db, namespace: shop, labels: {app: db}}
                spec: {nodeName: n2, containers: [{name: c}]}
                status: {podIP: 10.244.0.2}
                """)));
        assertThat(r.errors()).isEmpty();
        assertThat(r.cluster().endpoints()).extracting(e -> e.key() + " " + e.ip() + " " + e.node())
                .containsExactly("shop/db 10.244.0.2 n2", "shop/web-0 10.244.0.3 node-1", "shop/web-1 10.244.0.4 node-1");
        assertThat(r.cluster().endpoint("shop/web-1").orElseThrow().namedPort("http", Protocol.TCP)).contains(8080);
    }

    @Test
    void invalidYamlNamesTheFile() {
        ManifestLoader.Result r = new ManifestLoader().load(List.of(new ManifestLoader.Source("broken.yaml", "kind: [unclosed\n")));
        assertThat(r.errors()).singleElement().asString().startsWith("broken.yaml: not valid YAML");
    }
}
