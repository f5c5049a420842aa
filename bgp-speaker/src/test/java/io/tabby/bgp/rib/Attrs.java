package io.tabby.bgp.rib;

import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.PathAttribute.Segment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test builder for attribute sets: {@code Attrs.of().path(65001, 65002).lp(200).nh("10.0.0.1").set()}. */
public final class Attrs {
    private final List<PathAttribute> list = new ArrayList<>();
    private String nh = "192.0.2.1";

    public static Attrs of() {
        Attrs a = new Attrs();
        a.list.add(PathAttribute.Origin.IGP);
        a.list.add(PathAttribute.AsPath.EMPTY);
        return a;
    }

    public Attrs path(long... asns) {
        return put(asns.length == 0 ? PathAttribute.AsPath.EMPTY
                : new PathAttribute.AsPath(List.of(Segment.sequence(asns))));
    }

    public Attrs origin(int o) {
        return put(new PathAttribute.Origin(o));
    }

    public Attrs lp(long v) {
        return put(new PathAttribute.LocalPref(v));
    }

    public Attrs med(long v) {
        return put(new PathAttribute.MultiExitDisc(v));
    }

    public Attrs originator(String id) {
        return put(new PathAttribute.OriginatorId(Addresses.parse4(id)));
    }

    public Attrs clusters(String... ids) {
        return put(new PathAttribute.ClusterList(Arrays.stream(ids).map(Addresses::parse4).toList()));
    }

    public Attrs communities(int... c) {
        return put(new PathAttribute.Communities(Arrays.stream(c).boxed().toList()));
    }

    public Attrs nh(String address) {
        nh = address;
        return this;
    }

    public Attrs put(PathAttribute a) {
        list.removeIf(x -> x.code() == a.code());
        list.add(a);
        return this;
    }

    public AttrSet set() {
        return AttrSet.of(list, Addresses.parse(nh));
    }

    /** Peers for tests: eBGP from AS {@code as}, or iBGP in AS 65000. */
    public static Peer ebgp(String address, String routerId, long as) {
        return Peer.neighbour(address, routerId, as, 65000, false);
    }

    public static Peer ibgp(String address, String routerId) {
        return Peer.neighbour(address, routerId, 65000, 65000, false);
    }

    public static Peer client(String address, String routerId) {
        return Peer.neighbour(address, routerId, 65000, 65000, true);
    }
}
