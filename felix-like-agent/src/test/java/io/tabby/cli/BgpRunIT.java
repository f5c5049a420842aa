package io.tabby.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.testkit.Daemon;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged daemon end to end: {@code java -jar target/tabby.jar bgp run --config FILE} started
 * inside a lab namespace, peering with BIRD in another; SIGTERM must send Cease/Administrative
 * Shutdown with the configured Shutdown Communication (RFC 9003) before the process exits. While it
 * runs, {@code tabby bgp peers} and {@code tabby bgp routes} (separate processes) read its API.
 */
@NetnsTest
class BgpRunIT {
    @Test
    void daemonPeersWithBirdLogsTransitionsAndSaysGoodbyeOnSigterm(Lab lab) throws IOException {
        Netns spk = lab.netns("spk");
        Netns rtr = lab.netns("rtr");
        lab.link(spk, "10.0.0.1/24", rtr, "10.0.0.2/24");
        Path birdLog = lab.dir().resolve("bird.log");
        Path birdConf = lab.dir().resolve("bird.conf");
        Path ctl = lab.dir().resolve("bird.ctl");
        Files.writeString(birdConf, """
                log "%s" all;
                router id 10.0.0.2;
                protocol device {}
                protocol bgp tabby { local 10.0.0.2 as 65002; neighbor 10.0.0.1 as 65001; hold time 9;
                  connect retry time 1; connect delay time 1; error wait time 1,3;
                  ipv4 { import all; export none; }; }
                """.formatted(birdLog));
        rtr.spawn(lab.dir().resolve("bird.out"), "bird", "-f", "-c", birdConf.toString(), "-s", ctl.toString());
        Path cfg = lab.dir().resolve("tabby.yaml");
        Files.writeString(cfg, """
                localAs: 65001
                routerId: 10.0.0.1
                apiSocket: %s
                peers:
                  - {address: 10.0.0.2, as: 65002, holdTime: 9, connectRetry: 1, allowAll: true}
                originate:
                  - {prefix: 10.244.9.0/26, communities: ["65001:9"]}
                """.formatted(lab.dir().resolve("bgp.sock")));
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of("target/tabby.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path log = lab.dir().resolve("tabby.log");
        Daemon tabby = spk.spawn(log, java, "-jar", jar.toString(), "bgp", "run", "--config", cfg.toString(),
                "--shutdown-message", "cli says goodbye");
        Eventually.await("our route in BIRD", Duration.ofSeconds(30),
                () -> rtr.exec("birdc", "-s", ctl.toString(), "show", "route", "all", "10.244.9.0/26").stdout().contains("(65001,9)"),
                () -> rtr.exec("birdc", "-s", ctl.toString(), "show", "protocols", "all").stdout() + "\n" + read(log));
        // The looking glass of the running daemon, through the packaged CLI in another process.
        String peers = spk.run(java, "-jar", jar.toString(), "bgp", "peers", "--api", lab.dir().resolve("bgp.sock").toString());
        assertThat(peers).contains("10.0.0.2").contains("65002").contains("ESTABLISHED");
        String routes = spk.run(java, "-jar", jar.toString(), "bgp", "routes", "10.244.9.0/26", "-o", "json",
                "--api", lab.dir().resolve("bgp.sock").toString());
        assertThat(routes).contains("\"prefix\" : \"10.244.9.0/26\"").contains("\"best\" : true").contains("65001:9");
        tabby.stop(Duration.ofSeconds(10));
        assertThat(tabby.isAlive()).isFalse();
        Eventually.await("BIRD logged our shutdown communication", Duration.ofSeconds(10),
                () -> read(birdLog).contains("cli says goodbye"), () -> read(birdLog));
        assertThat(read(log)).contains("session transition").contains("to=ESTABLISHED").contains("reason=KEEPALIVE_RECEIVED")
                .contains("reason=ADMIN_STOP");
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
