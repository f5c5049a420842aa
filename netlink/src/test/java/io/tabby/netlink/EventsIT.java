package io.tabby.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

@NetnsTest
class EventsIT {

    @Test
    void linkAddressAndRouteChangesMadeByIpAreDelivered(Lab lab) {
        Netns n = lab.netns("n");
        List<Event> seen = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        try (NetNs ns = Inside.open(n); NetlinkHandle h = NetlinkHandle.open(ns);
             Subscription sub = h.subscribe(EnumSet.of(EventGroup.LINK, EventGroup.IPV4_ADDR, EventGroup.IPV6_ADDR,
                     EventGroup.IPV4_ROUTE, EventGroup.IPV6_ROUTE, EventGroup.NEIGH), e -> {
                         seen.add(e);
                         threads.add(Thread.currentThread());
                     })) {
            // Changes made by someone else (iproute2) in the namespace.
            n.ip("link", "add", "ev0", "type", "veth", "peer", "name", "ev1");
            n.ip("link", "set", "ev0", "up");
            n.ip("addr", "add", "10.5.0.1/24", "dev", "ev0");
            n.ip("route", "add", "10.6.0.0/24", "via", "10.5.0.2", "proto", "250");
            n.ip("route", "del", "10.6.0.0/24");
            n.ip("neigh", "add", "10.5.0.9", "lladdr", "02:00:00:00:00:09", "dev", "ev0", "nud", "permanent");
            n.ip("-6", "addr", "add", "fd00:5::1/64", "dev", "ev0", "nodad");
            n.ip("link", "del", "ev0");

            Eventually.await("the route deletion event", Duration.ofSeconds(5),
                    () -> seen.stream().anyMatch(e -> e instanceof Event.RouteEvent r && r.removed()
                            && r.route().dst().toString().equals("10.6.0.0/24")),
                    () -> "seen: " + seen);
            Eventually.await("the link deletion event", Duration.ofSeconds(5),
                    () -> seen.stream().anyMatch(e -> e instanceof Event.LinkEvent l && l.removed() && l.link().name().equals("ev0")),
                    () -> "seen: " + seen);
            assertThat(seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Event.LinkEvent.class,
                    l -> assertThat(l.link().name()).isEqualTo("ev0")));
            assertThat(seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Event.AddrEvent.class, a -> {
                assertThat(a.removed()).isFalse();
                assertThat(a.addr().prefix().toString()).isEqualTo("10.5.0.1/24");
            }));
            assertThat(seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Event.RouteEvent.class, r -> {
                assertThat(r.removed()).isFalse();
                assertThat(r.route().protocol()).isEqualTo(new RouteProtocol(250));
                assertThat(Inside.text(r.route().gateway().orElseThrow())).isEqualTo("10.5.0.2");
            }));
            assertThat(seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Event.NeighEvent.class, x -> {
                assertThat(Inside.text(x.neigh().ip())).isEqualTo("10.5.0.9");
                assertThat(x.neigh().hardwareAddr()).hasValue("02:00:00:00:00:09");
            }));
            assertThat(seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Event.AddrEvent.class,
                    a -> assertThat(a.addr().prefix().toString()).isEqualTo("fd00:5::1/64")));
            assertThat(threads).allMatch(t -> t == threads.get(0) && !t.isVirtual());
        }
        Thread delivery = threads.get(0);
        assertThat(delivery.isAlive()).as("close() ends the delivery thread").isFalse();
    }

    @Test
    void aConsumerThatThrowsLosesOneEventNotTheSubscription(Lab lab) {
        Netns n = lab.netns("n");
        List<Event> seen = new CopyOnWriteArrayList<>();
        try (NetNs ns = Inside.open(n); NetlinkHandle h = NetlinkHandle.open(ns);
             Subscription sub = h.subscribe(EnumSet.of(EventGroup.LINK), e -> {
                 seen.add(e);
                 if (seen.size() == 1) {
                     throw new IllegalStateException("consumer bug");
                 }
             })) {
            n.ip("link", "add", "t0", "type", "veth", "peer", "name", "t1");
            Eventually.await("a first event", Duration.ofSeconds(5), () -> !seen.isEmpty());
            n.ip("link", "add", "later0", "type", "veth", "peer", "name", "later1");
            Eventually.await("events after the consumer threw", Duration.ofSeconds(5),
                    () -> seen.stream().anyMatch(e -> e instanceof Event.LinkEvent l && l.link().name().equals("later0")),
                    () -> "seen: " + seen);
        }
    }
}
