package io.tabby.netlink.ns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabby.netlink.sys.Errno;
import io.tabby.netlink.sys.ErrnoException;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

@NetnsTest
class NetNsIT {

    /** Named like the lab's namespaces, so a crashed run's leftovers are swept by the next lab. */
    private static String name(String role) {
        return "tabbyt-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()) + "-" + role;
    }

    @Test
    void createdNamespaceIsSeenByIpNetnsAndDeleteRemovesIt(Lab lab) throws Exception {
        String name = name("created");
        long own = NetNs.currentInode();
        try {
            try (NetNs ns = NetNs.create(name)) {
                assertThat(ns.inode()).isNotEqualTo(own);
                assertThat(lab.netns("probe").run("ip", "netns", "list")).contains(name);
                // iproute2 sees the same namespace: what we do inside shows through `ip -n`
                assertThat(ns.call(NetNs::currentInode)).isEqualTo(ns.inode());
                assertThat(ns.call(() -> Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip())).isEqualTo("0");
                ns.run(() -> {
                    try {
                        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                assertThat(new ProcessBuilder("ip", "netns", "exec", name, "sysctl", "-n", "net.ipv4.ip_forward")
                        .start().inputReader().readLine()).isEqualTo("1");
                assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip())
                        .as("the test's own namespace is untouched").isEqualTo("0");
                // The calling thread never changed namespace.
                assertThat(NetNs.currentInode()).isEqualTo(own);

                try (NetNs again = NetNs.openNamed(name)) {
                    assertThat(again.inode()).isEqualTo(ns.inode());
                }
            }
            assertThatThrownBy(() -> NetNs.create(name)).isInstanceOf(ErrnoException.class)
                    .hasMessageContaining(name).hasMessageContaining("EEXIST");
        } finally {
            if (Files.exists(NetNs.RUN_DIR.resolve(name))) {
                NetNs.delete(name);
            }
        }
        assertThat(Files.exists(NetNs.RUN_DIR.resolve(name))).isFalse();
        assertThat(new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes()))
                .doesNotContain(name);
    }

    @Test
    void openingAMissingOrDeletedNamespaceFailsClearly(Lab lab) throws Exception {
        Netns gone = lab.netns("gone");
        Path path = gone.path();
        lab.netns("keep");
        String name = path.getFileName().toString();
        NetNs.delete(name);
        assertThatThrownBy(() -> NetNs.open(path)).isInstanceOf(ErrnoException.class)
                .hasMessageContaining(path.toString()).hasMessageContaining("ENOENT")
                .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.ENOENT));
        // Not a network namespace: setns refuses, and the worker never runs anything.
        Path notANetns = lab.dir().resolve("plain-file");
        java.nio.file.Files.writeString(notANetns, "x");
        assertThatThrownBy(() -> NetNs.open(notANetns)).isInstanceOf(ErrnoException.class)
                .hasMessageContaining("setns " + notANetns).hasMessageContaining("EINVAL");
        assertThatThrownBy(() -> NetNs.open(Path.of("/proc/self/ns/uts"))).isInstanceOf(ErrnoException.class)
                .hasMessageContaining("EINVAL");
        assertThatThrownBy(() -> NetNs.openNamed("../etc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'../etc'");
        assertThatThrownBy(() -> NetNs.create("a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void workRunsInsideOnTheNamespaceThreadAndNotOnTheCaller(Lab lab) throws Exception {
        Netns a = lab.netns("a");
        long own = NetNs.currentInode();
        try (NetNs ns = NetNs.open(a.path())) {
            assertThat(ns.inode()).isNotEqualTo(own);
            Thread caller = Thread.currentThread();
            Thread worker = ns.call(Thread::currentThread);
            assertThat(worker).isNotSameAs(caller);
            assertThat(worker.isVirtual()).isFalse();
            assertThat(ns.call(ns::isCurrent)).isTrue();
            assertThat(ns.isCurrent()).isFalse();
            // exceptions come back unchanged
            assertThatThrownBy(() -> ns.call(() -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            // and the worker survives them
            assertThat(ns.call(() -> 42)).isEqualTo(42);
            // a virtual thread caller works the same way and stays where it was
            Thread v = Thread.ofVirtual().start(() -> assertThat(ns.call(ns::isCurrent)).isTrue());
            v.join();
        }
        assertThat(NetNs.currentInode()).isEqualTo(own);
    }
}
