package io.tabby.cli.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.tabby.cli.Tabby;
import io.tabby.cni.ipam.AssignRequest;
import io.tabby.cni.ipam.Ipam;
import io.tabby.cni.ipam.IpamConfig;
import io.tabby.cni.ipam.IpPool;
import io.tabby.cni.ipam.k8s.KubernetesStore;
import io.tabby.cni.types.IpNet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tabby ipam show|check|release} against the Fabric8 mock API server. */
@EnableKubernetesMockClient(crud = true)
class IpamCommandTest {
    KubernetesClient client;
    @TempDir
    Path dir;

    record Run(int code, String out) {}

    Run tabby(String... args) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                contexts: [{name: mock, context: {cluster: mock, user: u, namespace: default}}]
                current-context: mock
                users: [{name: u, user: {token: t}}]
                """.formatted(client.getConfiguration().getMasterUrl()));
        StringWriter sw = new StringWriter();
        CommandLine cl = new CommandLine(new Tabby());
        cl.setOut(new PrintWriter(sw));
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--kubeconfig";
        full[args.length + 1] = kubeconfig.toString();
        int code = cl.execute(full);
        return new Run(code, sw.toString());
    }

    @Test
    void show_check_release() throws Exception {
        KubernetesStore store = new KubernetesStore(client);
        store.putPool(new IpPool("default", IpNet.parse("10.244.0.0/24"), 26, "all()", false, true));
        store.putConfig(IpamConfig.DEFAULT);
        Ipam ipam = new Ipam(store);
        client.pods().inNamespace("prod").resource(new PodBuilder().withNewMetadata().withName("alive").withNamespace("prod")
                .endMetadata().build()).create();
        var live = ipam.assign(new AssignRequest("net.live", true, "n1", Map.of(), "prod", "alive", List.of(), null, 0));
        var gone = ipam.assign(new AssignRequest("net.gone", true, "n1", Map.of(), "prod", "gone", List.of(), null, 0));

        Run show = tabby("ipam", "show");
        assertThat(show.code()).isZero();
        assertThat(show.out()).contains("default").contains("10.244.0.0/24").containsPattern("n1\\s+1\\s+64\\s+2\\s+0");

        Run check = tabby("ipam", "check");
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.out()).contains("leak\t" + IpNet.format(gone.address())).doesNotContain(IpNet.format(live.address()) + " held");

        Run release = tabby("ipam", "release", "--ip", IpNet.format(gone.address()));
        assertThat(release.out()).contains("released 1 address(es) of net.gone");
        assertThat(tabby("ipam", "check").code()).isZero();
    }

    @Test
    void crds_prints_the_three_definitions() {
        StringWriter sw = new StringWriter();
        CommandLine cl = new CommandLine(new Tabby());
        cl.setOut(new PrintWriter(sw));
        assertThat(cl.execute("ipam", "crds")).isZero();
        assertThat(sw.toString()).contains("name: ippools.ipam.tabby.io", "name: ipamconfigs.ipam.tabby.io",
                "name: ipamblocks.ipam.tabby.io").contains("scope: Cluster");
    }
}
