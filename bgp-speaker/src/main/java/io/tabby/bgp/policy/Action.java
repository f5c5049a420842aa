package io.tabby.bgp.policy;

import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.PathAttribute.Communities;
import io.tabby.bgp.wire.PathAttribute.LargeCommunities;
import io.tabby.bgp.wire.PathAttribute.LargeCommunities.Large;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** A change a policy {@link Term} makes to the attributes of a route it matched. */
public sealed interface Action {
    /** The attributes after this action; {@code self} is our address on the session (next-hop-self). */
    AttrSet apply(AttrSet in, PolicyContext ctx);

    /** RFC 4271 5.1.5 (meaningful inside our AS only; stripped towards eBGP by the export rules). */
    record SetLocalPref(long value) implements Action {
        public AttrSet apply(AttrSet in, PolicyContext ctx) {
            return in.with(new PathAttribute.LocalPref(value));
        }
    }

    /** RFC 4271 5.1.4. */
    record SetMed(long value) implements Action {
        public AttrSet apply(AttrSet in, PolicyContext ctx) {
            return in.with(new PathAttribute.MultiExitDisc(value));
        }
    }

    /** How a community action combines with what the route carries. */
    enum Mode { ADD, REMOVE, REPLACE }

    /** RFC 1997 communities: add (keeping order, no duplicates), remove, or replace all. */
    record SetCommunities(Mode mode, List<Integer> values) implements Action {
        public SetCommunities {
            values = List.copyOf(values);
        }

        public AttrSet apply(AttrSet in, PolicyContext ctx) {
            List<Integer> had = in.get(Communities.class).map(Communities::values).orElse(List.of());
            List<Integer> out = combine(mode, had, values);
            return out.isEmpty() ? in.without(8) : in.with(new Communities(out));
        }
    }

    /** RFC 8092 large communities, the same three ways. */
    record SetLargeCommunities(Mode mode, List<Large> values) implements Action {
        public SetLargeCommunities {
            values = List.copyOf(values);
        }

        public AttrSet apply(AttrSet in, PolicyContext ctx) {
            List<Large> had = in.get(LargeCommunities.class).map(LargeCommunities::values).orElse(List.of());
            List<Large> out = combine(mode, had, values);
            return out.isEmpty() ? in.without(32) : in.with(new LargeCommunities(out));
        }
    }

    /** Sets the next hop to an address, or to our session address when {@code address} is null (next-hop-self). */
    record SetNextHop(InetAddress address) implements Action {
        public static final SetNextHop SELF = new SetNextHop(null);

        public AttrSet apply(AttrSet in, PolicyContext ctx) {
            InetAddress nh = address == null ? ctx.localAddress() : address;
            return nh == null ? in : in.withNextHops(List.of(nh));
        }
    }

    /** Prepends {@code as} (our own AS when 0) {@code times} times, to make the path less preferred. */
    record Prepend(long as, int times) implements Action {
        public Prepend {
            if (times < 1 || times > 32) {
                throw new IllegalArgumentException("prepend count must be 1..32, was " + times);
            }
        }

        public AttrSet apply(AttrSet in, PolicyContext ctx) {
            long who = as == 0 ? ctx.localAs() : as;
            PathAttribute.AsPath p = in.asPath();
            for (int i = 0; i < times; i++) {
                p = p.prepend(who);
            }
            return in.with(p);
        }
    }

    private static <T> List<T> combine(Mode mode, List<T> had, List<T> values) {
        return switch (mode) {
            case REPLACE -> values;
            case ADD -> {
                var s = new LinkedHashSet<>(had);
                s.addAll(values);
                yield List.copyOf(s);
            }
            case REMOVE -> {
                var l = new ArrayList<>(had);
                l.removeAll(values);
                yield l;
            }
        };
    }
}
