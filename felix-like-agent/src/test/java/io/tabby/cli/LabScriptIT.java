package io.tabby.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's main job, {@code scripts/lab}, run as an operator runs it: three node namespaces
 * behind an FRR top-of-rack, each with {@code tabby cni serve} and {@code tabby bgp run}, pods
 * wired by the installed CNI plugin, every pod pinging every other, then DEL and GC leaving
 * nothing behind. It needs this module's {@code target/tabby.jar} and cni-client's install, so it
 * runs here, after {@code package}. The script removes its own namespaces
 * ({@code tabbyt-<pid>-lab-*}, swept like the test kit's if it dies).
 */
@NetnsTest
class LabScriptIT {
    @Test
    void three_node_lab_routes_pods_over_bgp_and_cleans_up(Lab lab) throws Exception {
        Path script = Path.of("..", "scripts", "lab").toAbsolutePath().normalize();
        Path log = lab.dir().resolve("lab.out");
        Process p = new ProcessBuilder(script.toString(), "--no-build", "--nodes", "3", "--pods", "2")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        boolean finished = p.waitFor(240, TimeUnit.SECONDS);
        if (!finished) {
            p.destroy(); // SIGTERM: the script's trap stops its daemons and deletes its namespaces
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("lab finished within 240 s:\n" + out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out)
                .contains("lab: all checks passed")
                .doesNotContain("FAIL")
                .containsPattern("10\\.244\\.2\\.[0-9]+/26 via 10\\.99\\.0\\.12 dev eth0 proto 250")
                .contains("no blackhole and no BGP-learned block route left on any node");
        assertThat(out.lines().filter(l -> l.matches("\\s+n\\d-p\\d\\s+((-|ok|FAIL)\\s+)+")).count()).as("matrix rows").isEqualTo(6);
    }
}
