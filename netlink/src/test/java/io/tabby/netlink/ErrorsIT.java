package io.tabby.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabby.netlink.ns.NetNs;
import io.tabby.netlink.sys.Errno;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import org.junit.jupiter.api.Test;

@NetnsTest
class ErrorsIT {
    private static final RouteProtocol TABBY = new RouteProtocol(250);

    @Test
    void kernelErrorsNameOperationObjectAndErrno(Lab lab) {
        Netns n = lab.netns("n");
        try (NetNs ns = Inside.open(n); NetlinkHandle h = NetlinkHandle.open(ns)) {
            Link cali = h.linkAddVeth(Veth.of("cali12345678901", "peer0"));
            h.linkSetUp("cali12345678901");
            Route r = Route.to("10.244.1.0/26").dev(cali.index()).protocol(TABBY);
            h.routeAdd(r);
            assertThatThrownBy(() -> h.routeAdd(r)).isInstanceOfSatisfying(NetlinkException.class, e -> {
                assertThat(e.errno()).isEqualTo(Errno.EEXIST);
                assertThat(e.operation()).isEqualTo("RTM_NEWROUTE");
                assertThat(e.getMessage()).startsWith("RTM_NEWROUTE 10.244.1.0/26 dev cali12345678901")
                        .contains(": EEXIST (File exists)");
            });
            assertThatThrownBy(() -> h.linkByName("nosuch0")).isInstanceOfSatisfying(NetlinkException.class, e -> {
                assertThat(e.errno()).isEqualTo(Errno.ENODEV);
                assertThat(e.getMessage()).isEqualTo("RTM_GETLINK dev nosuch0: ENODEV (No such device)");
            });
            assertThatThrownBy(() -> h.linkSetUp("nosuch0")).isInstanceOf(NetlinkException.class)
                    .hasMessage("RTM_SETLINK dev nosuch0 up: ENODEV (No such device)");
            assertThatThrownBy(() -> h.routeDel(Route.to("10.9.9.0/24").dev(cali.index())))
                    .isInstanceOf(NetlinkException.class).hasMessageContaining("ESRCH");
            // an unreachable gateway: the kernel says why through the extended ACK
            assertThatThrownBy(() -> h.routeAdd(Route.to("10.7.0.0/16").via("192.0.2.9").dev(cali.index())))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.ENETUNREACH);
                        assertThat(e.kernelMessage()).isPresent();
                        assertThat(e.getMessage()).contains("kernel: " + e.kernelMessage().orElseThrow());
                    });
            assertThat(n.run("ip", "route", "show", "10.7.0.0/16")).isBlank();
        }
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSentAndLeavesNothingHalfMade(Lab lab) {
        Netns n = lab.netns("n");
        Netns pod = lab.netns("pod");
        try (NetNs ns = Inside.open(n); NetNs podNs = Inside.open(pod); NetlinkHandle h = NetlinkHandle.open(ns)) {
            String before = n.run("ip", "-o", "link", "show");
            assertThatThrownBy(() -> h.linkAddVeth(Veth.of("cali123456789012", "eth0")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'cali123456789012' is 16 bytes long; the kernel allows at most 15");
            assertThatThrownBy(() -> h.linkAddVeth(Veth.of("ok0", "bad name")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad name'");
            assertThatThrownBy(() -> h.linkAddVeth(Veth.of("ok0", "eth0").hardwareAddr("zz:00")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zz:00");
            assertThatThrownBy(() -> h.routeAdd(Route.to("10.1.0.0/16")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a gateway, an output link");
            assertThatThrownBy(() -> h.routeAdd(Route.to("10.1.0.0/16").via("fd00::1").dev(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same family");
            assertThatThrownBy(() -> Route.to("10.1.0.0/33")).isInstanceOf(IllegalArgumentException.class);
            assertThat(n.run("ip", "-o", "link", "show")).isEqualTo(before);

            // The peer name is taken in the pod: the kernel refuses the pair, and neither end exists.
            pod.ip("link", "add", "eth0", "type", "veth", "peer", "name", "other0");
            assertThatThrownBy(() -> h.linkAddVeth(Veth.of("cali0", "eth0").peerIn(podNs)))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
            assertThat(n.exec("ip", "link", "show", "dev", "cali0").ok()).isFalse();
            assertThat(n.run("ip", "-o", "link", "show")).isEqualTo(before);

            // Missing interface for an address: ENODEV, nothing added.
            assertThatThrownBy(() -> h.addrAdd(Addr.of(999, "10.3.0.1/24")))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.ENODEV);
                        assertThat(e.getMessage()).startsWith("RTM_NEWADDR 10.3.0.1/24 dev #999");
                    });
            assertThat(n.run("ip", "addr")).doesNotContain("10.3.0.1");
        }
    }

    @Test
    void namespaceDeletedMidOperation(Lab lab) {
        Netns n = lab.netns("n");
        Netns pod = lab.netns("pod");
        try (NetNs ns = Inside.open(n); NetlinkHandle h = NetlinkHandle.open(ns)) {
            String before = n.run("ip", "-o", "link", "show");
            // The pod namespace is removed between being chosen and being opened: a clear error, no veth.
            String podName = pod.path().getFileName().toString();
            NetNs.delete(podName);
            assertThatThrownBy(() -> {
                try (NetNs gone = NetNs.open(pod.path())) {
                    h.linkAddVeth(Veth.of("cali1", "eth0").peerIn(gone));
                }
            }).hasMessageContaining(pod.path().toString()).hasMessageContaining("ENOENT");
            assertThat(n.run("ip", "-o", "link", "show")).isEqualTo(before);

            // Our own namespace's name is removed while the handle is open: the handle keeps the
            // namespace alive and keeps working on it, as a socket does for iproute2.
            NetNs.delete(n.path().getFileName().toString());
            h.linkAddVeth(Veth.of("still0", "still1"));
            assertThat(h.linkByName("still0").kind()).isEqualTo("veth");
        }
    }
}
