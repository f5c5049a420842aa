package io.tabby.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

@NetnsTest
class ConcurrencyIT {
    private static final RouteProtocol TABBY = new RouteProtocol(250);
    private static final int NAMESPACES = 4;
    private static final int THREADS_PER_NS = 3;
    private static final int ROUNDS = 20;

    /**
     * Several threads (virtual and platform) share one handle per namespace, over several
     * namespaces at once: each thread builds and tears down its own veths, addresses and routes.
     * Afterwards every namespace holds exactly what its threads left, and no thread has changed
     * namespace.
     */
    @Test
    void threadsSharingHandlesAcrossNamespacesKeepEachNamespaceApart(Lab lab) throws Exception {
        List<Netns> labNs = new ArrayList<>();
        List<NetNs> open = new ArrayList<>();
        List<NetlinkHandle> handles = new ArrayList<>();
        long own = NetNs.currentInode();
        try {
            for (int i = 0; i < NAMESPACES; i++) {
                Netns n = lab.netns("c" + i);
                labNs.add(n);
                NetNs ns = Inside.open(n);
                open.add(ns);
                handles.add(NetlinkHandle.open(ns));
            }
            try (ExecutorService virtualPool = Executors.newVirtualThreadPerTaskExecutor();
                 ExecutorService platformPool = Executors.newFixedThreadPool(2)) {
                List<Future<Long>> done = new ArrayList<>();
                for (int i = 0; i < NAMESPACES; i++) {
                    for (int t = 0; t < THREADS_PER_NS; t++) {
                        int ns = i;
                        int thread = t;
                        ExecutorService pool = t % 2 == 0 ? virtualPool : platformPool;
                        done.add(pool.submit(() -> work(handles.get(ns), ns, thread)));
                    }
                }
                for (Future<Long> f : done) {
                    assertThat(f.get()).as("each worker's thread stayed in its namespace").isEqualTo(own);
                }
            }
            for (int i = 0; i < NAMESPACES; i++) {
                Netns n = labNs.get(i);
                // Each thread kept its last veth, one address and one route; nothing of another namespace.
                List<String> names = new ArrayList<>();
                Inside.ipJson(n, "link", "show", "type", "veth").forEach(l -> names.add(l.get("ifname").asText()));
                List<String> expected = new ArrayList<>();
                for (int t = 0; t < THREADS_PER_NS; t++) {
                    expected.add("w" + i + "t" + t + "a");
                    expected.add("w" + i + "t" + t + "b");
                }
                assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(Inside.ipJson(n, "route", "show", "proto", "250")).hasSize(THREADS_PER_NS);
                assertThat(n.run("ip", "-4", "addr")).contains("10." + (100 + i) + ".0.1/24");
                assertThat(handles.get(i).routeList(RouteFilter.main().protocol(TABBY))).hasSize(THREADS_PER_NS);
            }
        } finally {
            handles.forEach(NetlinkHandle::close);
            open.forEach(NetNs::close);
        }
    }

    /**
     * Link dumps stay whole and consistent while another handle adds and deletes veth pairs
     * underneath: a dump the kernel flags NLM_F_DUMP_INTR is read again, so no stable link goes
     * missing and no pair is seen half-made.
     */
    @Test
    void dumpsStayWholeWhileLinksChangeUnderneath(Lab lab) throws Exception {
        Netns n = lab.netns("churn");
        StringBuilder batch = new StringBuilder();
        List<String> stable = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.append("link add s").append(i).append("a type veth peer name s").append(i).append("b\n");
            stable.add("s" + i + "a");
            stable.add("s" + i + "b");
        }
        n.execWithInput(batch.toString(), "ip", "-batch", "-").orThrow();
        try (NetNs ns = Inside.open(n); NetlinkHandle reader = NetlinkHandle.open(ns); NetlinkHandle writer = NetlinkHandle.open(ns)) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread churn = Thread.ofPlatform().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    writer.linkAddVeth(Veth.of("c" + (i % 4) + "a", "c" + (i % 4) + "b"));
                    writer.linkDel("c" + (i % 4) + "a");
                }
            });
            try {
                // At least 40 dumps, and on until one was interrupted and read again (or 2,000).
                for (int round = 0; round < 40 || (reader.dumpRestarts() == 0 && round < 2000); round++) {
                    List<String> names = reader.linkList().stream().map(Link::name).toList();
                    assertThat(names).containsAll(stable).doesNotHaveDuplicates();
                    // A veth pair comes and goes in one transaction: a consistent dump has both ends or neither.
                    for (int c = 0; c < 4; c++) {
                        assertThat(names.contains("c" + c + "a")).as("pair c%d in %s", c, names)
                                .isEqualTo(names.contains("c" + c + "b"));
                    }
                }
            } finally {
                stop.set(true);
                churn.join();
            }
            assertThat(reader.dumpRestarts()).as("the churn interrupted some dumps, which were read again").isPositive();
        }
    }

    private static long work(NetlinkHandle h, int ns, int thread) {
        String a = "w" + ns + "t" + thread + "a";
        String b = "w" + ns + "t" + thread + "b";
        for (int round = 0; round < ROUNDS; round++) {
            Link link = h.linkAddVeth(Veth.of(a, b));
            h.linkSetUp(a);
            h.linkSetMtu(a, 1400 + round);
            h.addrAdd(Addr.of(link.index(), "10." + (100 + ns) + "." + thread + ".1/24"));
            h.routeAdd(Route.to("10.250." + thread + "." + round + "/32").dev(link.index()).protocol(TABBY));
            assertThat(h.linkByName(a).mtu()).isEqualTo(1400 + round);
            assertThat(h.addrList(link.index(), Family.INET)).hasSize(1);
            if (round < ROUNDS - 1) {
                h.linkDel(a);
            }
        }
        return NetNs.currentInode();
    }
}
