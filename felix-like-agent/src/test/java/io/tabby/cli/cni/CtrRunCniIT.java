package io.tabby.cli.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * containerd's {@code ctr run --cni} (a real runtime's CNI client, libcni) driving the installed
 * {@code tabby} plugin and a {@code tabby cni serve} service in a node namespace. The script
 * builds and removes its own namespaces ({@code tabbyc-<pid>-*}); it needs this module's
 * {@code target/tabby.jar}, so it runs here, after {@code package}.
 */
@NetnsTest
class CtrRunCniIT {
    @Test
    void ctr_run_with_cni_gets_a_tabby_network_and_deletes_it(Lab lab) throws Exception {
        Path script = Path.of("src", "test", "sh", "ctr-run-cni.sh").toAbsolutePath();
        Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("script finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("ctr run --cni: OK").contains("default via 169.254.1.1").containsPattern("inet 10\\.244\\.[0-9.]+/32");
    }
}
