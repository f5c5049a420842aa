package io.tabby.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@NetnsTest
class LabIT {
    private static final Duration PING = Duration.ofSeconds(2);

    @Test
    void twoNamespacesJoinedByAVethCarryPingAndTcp(Lab lab) throws Exception {
        Netns a = lab.netns("a");
        Netns b = lab.netns("b");
        lab.veth(a, "va", b, "vb");
        a.ip("addr", "add", "192.0.2.1/24", "dev", "va");
        b.ip("addr", "add", "192.0.2.2/24", "dev", "vb");

        assertThat(a.ping("192.0.2.2", PING)).isTrue();

        // A TCP server in b; a client in a sends a line and reads the server's reply.
        Daemon server = b.spawn(lab.dir().resolve("socat.log"),
                "socat", "TCP-LISTEN:7001,bind=192.0.2.2,reuseaddr", "SYSTEM:echo pong");
        Eventually.await("socat listening", Duration.ofSeconds(5),
                () -> b.exec("ss", "-Htln", "sport = :7001").stdout().contains("7001"));
        ExecResult reply = a.exec("socat", "-T2", "-", "TCP:192.0.2.2:7001,connect-timeout=2");
        assertThat(reply.orThrow().stdout().strip()).isEqualTo("pong");
        server.stop(Duration.ofSeconds(2));
        assertThat(server.isAlive()).isFalse();
    }

    @Test
    void calicoStylePodsReachEachOtherOnOneNodeAndAcrossNodes(Lab lab) {
        Fabric fabric = lab.fabric();
        Node n1 = lab.node("n1", fabric, "10.99.0.11/24", "10.99.0.1");
        Node n2 = lab.node("n2", fabric, "10.99.0.12/24", "10.99.0.1");
        Pod a = n1.pod("n1-a", "10.244.1.2");
        Pod b = n1.pod("n1-b", "10.244.1.3");
        Pod c = n2.pod("n2-c", "10.244.2.2");
        // What BGP will do later, by hand: each node routes the other's pod block to it.
        n1.netns().ip("route", "add", "10.244.2.0/26", "via", n2.address());
        n2.netns().ip("route", "add", "10.244.1.0/26", "via", n1.address());

        assertThat(a.hostVeth()).matches("cali[0-9a-f]{11}");
        assertThat(a.netns().ping(b.ip(), PING)).as("same node").isTrue();
        assertThat(a.netns().ping(c.ip(), PING)).as("across nodes").isTrue();
        assertThat(c.netns().ping(b.ip(), PING)).as("and back").isTrue();
        // The pod's only way out is the proxy-ARP gateway.
        assertThat(a.netns().ip("route", "show", "default")).contains("via 169.254.1.1");
    }

    @Test
    void closingRemovesEverythingAndKillsDaemons() throws Exception {
        Lab lab = Lab.open();
        Netns a = lab.netns("x");
        Daemon d = a.spawn(Files.createTempFile("sleep", ".log"), "sleep", "600");
        List<String> before = lab.remainingNamespaces();
        assertThat(before).containsExactly(a.name());

        lab.close();

        assertThat(lab.remainingNamespaces()).isEmpty();
        assertThat(Lab.listNamespaces()).doesNotContain(a.name());
        assertThat(d.isAlive()).isFalse();
        assertThat(lab.dir()).doesNotExist();
    }

    @Test
    void openingALabSweepsNamespacesLeftByADeadRun() {
        // pid_max is at most 2^22, so this pid can never be alive: it stands for a crashed run.
        String stale = Lab.PREFIX + "9999999-dead-x";
        Commands.run(List.of("ip", "netns", "add", stale), null, Duration.ofSeconds(10)).orThrow();
        try (Lab lab = Lab.open()) {
            assertThat(Lab.listNamespaces()).doesNotContain(stale);
        } finally {
            Commands.run(List.of("ip", "netns", "del", stale), null, Duration.ofSeconds(10));
        }
    }
}
