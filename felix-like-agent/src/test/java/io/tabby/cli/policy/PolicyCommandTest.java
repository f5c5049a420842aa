package io.tabby.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tabby.cli.Tabby;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI on the example files under docs/examples/policy: output and exit codes. */
class PolicyCommandTest {
    private static final Path EXAMPLES = Path.of("..", "docs", "examples", "policy");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Tabby());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> a = new ArrayList<>(List.of("policy"));
        a.addAll(List.of(args));
        return cli.execute(a.toArray(String[]::new));
    }

    private static String f(String name) {
        return EXAMPLES.resolve(name).toString();
    }

    @Test
    void allowedExitsZeroAndNamesTheRule() {
        int code = run("explain", "--from", "shop/frontend-0", "--to", "shop/api-0", "--port", "9000/TCP",
                "-f", f("cluster.yaml"), f("policies.yaml"));
        assertThat(code).isZero();
        assertThat(out.toString())
                .startsWith("shop/frontend-0 -> shop/api-0 9000/TCP: ALLOWED")
                .contains("isolated by: shop/api-from-frontend, shop/default-deny")
                .contains("allowed by: shop/api-from-frontend ingress[0] (peer: ns=shop pods{app=frontend}, port: http/TCP)");
    }

    @Test
    void deniedExitsOneAndSaysNothingAllowsIt() {
        int code = run("explain", "--from", "shop/frontend-1", "--to", "shop/db", "--port", "5432",
                "-f", f("cluster.yaml"), f("policies.yaml"));
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("DENIED").contains("no rule of these policies allows this connection");
    }

    @Test
    void anOutsideAddressIsJudgedByIpBlocksOnly() {
        int code = run("explain", "--from", "192.0.2.7", "--to", "shop/frontend-0", "--port", "8080",
                "-f", f("cluster.yaml"), f("policies.yaml"));
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("192.0.2.7 -> shop/frontend-0 8080/TCP: ALLOWED")
                .contains("egress of 192.0.2.7: not a pod, not subject to policy");
        out.getBuffer().setLength(0);
        assertThat(run("explain", "--from", "192.0.2.7", "--to", "shop/api-0", "--port", "9000",
                "-f", f("cluster.yaml"), f("policies.yaml"))).isEqualTo(1);
        assertThat(run("explain", "--from", "not-an-ip", "--to", "shop/api-0", "-f", f("cluster.yaml"))).isEqualTo(2);
    }

    @Test
    void jsonOutput() throws Exception {
        int code = run("explain", "--from", "monitoring/prometheus", "--to", "shop/api-0", "--port", "9090/TCP",
                "-o", "json", "-f", f("cluster.yaml"), f("policies.yaml"));
        assertThat(code).isZero();
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertThat(j.get("allowed").asBoolean()).isTrue();
        assertThat(j.get("ingress").get("allowedBy").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(j.get("egress").get("outcome").asText()).isEqualTo("NOT_ISOLATED");
    }

    @Test
    void badInputExitsTwoNamingObjectAndField() {
        int code = run("explain", "--from", "shop/frontend-0", "--to", "shop/api-0",
                "-f", f("cluster.yaml"), EXAMPLES.resolveSibling("policy-invalid").resolve("bad-policy.yaml").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("NetworkPolicy shop/typo: spec.ingress[0].form: unknown field")
                .contains("NetworkPolicy shop/bad-except: spec.egress[0].to[0].ipBlock.except[0]: except 10.1.0.0/24 is not strictly inside cidr 10.0.0.0/16");
        assertThat(run("explain", "--from", "shop/nobody", "--to", "shop/api-0", "-f", f("cluster.yaml"))).isEqualTo(2);
        assertThat(run("explain", "--from", "shop/db", "--to", "shop/api-0", "--port", "80/ICMP", "-f", f("cluster.yaml"))).isEqualTo(2);
    }

    @Test
    void aDirectoryStandsForItsYamlFilesInNameOrder() {
        int code = run("matrix", "--port", "8080/TCP", "-f", EXAMPLES.toString());
        assertThat(code).isZero();
        assertThat(out.toString().lines().toList().get(1)).isEqualTo("monitoring/prometheus\t.\tX\tX\t.\t.");
    }

    @Test
    void matrixPrintsEveryPair() {
        int code = run("matrix", "--port", "8080/TCP", "-f", f("cluster.yaml"), f("policies.yaml"));
        assertThat(code).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("TCP/8080\tmonitoring/prometheus\tshop/api-0\tshop/db\tshop/frontend-0\tshop/frontend-1");
        // Everyone reaches the frontends on 8080; nobody reaches api or db on 8080.
        assertThat(lines.get(1)).isEqualTo("monitoring/prometheus\t.\tX\tX\t.\t.");
    }

    @Test
    void renderPrintsTheNodesRules() {
        int code = run("render", "--node", "node-2", "-f", f("cluster.yaml"), f("policies.yaml"));
        assertThat(code).isZero();
        // shop/db is the only pod on node-2: its ingress chain, the db-from-api policy chain.
        String iface = io.tabby.policy.model.Endpoint.calicoInterfaceName("shop", "db");
        assertThat(out.toString()).startsWith("add table inet tabby\n")
                .contains("\"" + iface + "\" : goto tw." + iface)
                .contains("chain pi.shop.db-from-api {")
                .contains("tcp dport 5432 meta mark set meta mark | 0x00010000 return");
        out.getBuffer().setLength(0);
        assertThat(run("render", "--node", "node-2", "--backend", "iptables", "-f", f("cluster.yaml"), f("policies.yaml"))).isZero();
        assertThat(out.toString()).contains("*filter").contains("-A tabby-to-wl -o " + iface + " -m comment")
                .contains("# ip6tables-restore --noflush");
        assertThat(run("render", "--backend", "pf", "-f", f("cluster.yaml"))).isEqualTo(2);
    }
}
