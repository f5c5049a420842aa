package io.tabby.bgp.session;

import io.tabby.bgp.wire.BgpMessage.Notification;
import io.tabby.bgp.wire.BgpMessage.Open;
import io.tabby.bgp.wire.Bytes;
import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.NotificationCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Pure functions: our OPEN from the config, and the agreement (or the error) from both OPENs. */
public final class Negotiation {
    private Negotiation() {}

    /** Result of checking the peer's OPEN: exactly one of the two is non-null. */
    public record Outcome(Negotiated negotiated, Notification error, String reason) {}

    /** The OPEN we send (RFC 4271 4.2; AS_TRANS in My AS when ours needs 4 octets, RFC 6793 4.1). */
    public static Open localOpen(SessionConfig c) {
        List<Capability> caps = new ArrayList<>();
        c.families().stream().sorted(Family.ORDER)
                .forEach(f -> caps.add(new Capability.Multiprotocol(f)));
        caps.add(new Capability.RouteRefresh());
        caps.add(new Capability.EnhancedRouteRefresh());
        if (c.fourOctetAs()) {
            caps.add(new Capability.FourOctetAs(c.localAs()));
        }
        if (c.extendedNextHop() && c.families().contains(Family.IPV4_UNICAST)) {
            caps.add(new Capability.ExtendedNextHop(List.of(
                    new Capability.ExtendedNextHop.Tuple(Family.IPV4_UNICAST, Family.AFI_IPV6))));
        }
        if (c.addPath() != 0) {
            caps.add(new Capability.AddPath(c.families().stream().sorted((a, b) -> a.afi() - b.afi())
                    .map(f -> new Capability.AddPath.Entry(f, c.addPath())).toList()));
        }
        if (c.extendedMessage()) {
            caps.add(new Capability.ExtendedMessage());
        }
        if (c.gracefulRestart() != null) {
            caps.add(c.gracefulRestart().onlyFamilies(c.families()));
        }
        int myAs = c.localAs() > 0xffff ? Open.AS_TRANS : (int) c.localAs();
        return new Open(4, myAs, c.holdTime(), c.routerId(), caps);
    }

    /** Checks the peer's OPEN (RFC 4271 6.2) and works out what both sides support. */
    public static Outcome negotiate(SessionConfig c, Open remote) {
        long remoteAs = remote.asNumber();
        if (c.peerAs() != 0 && remoteAs != c.peerAs()) {
            return error(NotificationCode.BAD_PEER_AS, "peer AS " + remoteAs + ", configured " + c.peerAs());
        }
        if (remote.capability(Capability.FourOctetAs.class).isEmpty() && remote.myAs() == Open.AS_TRANS) {
            return error(NotificationCode.BAD_PEER_AS, "AS_TRANS in My AS without the 4-octet AS capability");
        }
        boolean internal = remoteAs == c.localAs();
        if (internal && remote.bgpId().equals(c.routerId())) {
            return error(NotificationCode.BAD_BGP_IDENTIFIER, "iBGP peer uses our router id " + c.routerId().getHostAddress());
        }
        int hold = Math.min(c.holdTime(), remote.holdTime());
        boolean four = c.fourOctetAs() && remote.capability(Capability.FourOctetAs.class).isPresent();
        Set<Family> theirs = new HashSet<>();
        remote.all(Capability.Multiprotocol.class).forEach(m -> theirs.add(m.family()));
        if (remote.all(Capability.Multiprotocol.class).isEmpty()) {
            theirs.add(Family.IPV4_UNICAST); // RFC 4760 section 8: no capability means IPv4 unicast only
        }
        Set<Family> families = new HashSet<>(c.families());
        families.retainAll(theirs);
        Set<Family> rx = new HashSet<>();
        Set<Family> tx = new HashSet<>();
        if (c.addPath() != 0) {
            for (var cap : remote.all(Capability.AddPath.class)) {
                for (var e : cap.entries()) {
                    if (!families.contains(e.family())) {
                        continue;
                    }
                    if ((c.addPath() & Capability.AddPath.RECEIVE) != 0 && (e.sendReceive() & Capability.AddPath.SEND) != 0) {
                        rx.add(e.family());
                    }
                    if ((c.addPath() & Capability.AddPath.SEND) != 0 && (e.sendReceive() & Capability.AddPath.RECEIVE) != 0) {
                        tx.add(e.family());
                    }
                }
            }
        }
        Set<Family> enh = new HashSet<>();
        if (c.extendedNextHop()) {
            for (var cap : remote.all(Capability.ExtendedNextHop.class)) {
                for (var t : cap.tuples()) {
                    if (t.nextHopAfi() == Family.AFI_IPV6 && families.contains(t.nlri())) {
                        enh.add(t.nlri());
                    }
                }
            }
        }
        boolean ext = c.extendedMessage() && remote.capability(Capability.ExtendedMessage.class).isPresent();
        boolean rr = remote.capability(Capability.RouteRefresh.class).isPresent()
                || remote.all(Capability.Unknown.class).stream().anyMatch(u -> u.code() == 128);
        boolean err = remote.capability(Capability.EnhancedRouteRefresh.class).isPresent();
        // RFC 4724: we help a restarting peer (and it helps us) only if both sides advertised the capability.
        Optional<Capability.GracefulRestart> gr = c.gracefulRestart() == null ? Optional.empty()
                : remote.capability(Capability.GracefulRestart.class).map(g -> g.onlyFamilies(families));
        return new Outcome(new Negotiated(remoteAs, remote.bgpId(), internal, hold, hold / 3, four, families, rx, tx,
                ext, rr, err, enh, gr), null, null);
    }

    private static Outcome error(NotificationCode code, String reason) {
        return new Outcome(null, Notification.of(code, Bytes.EMPTY), reason);
    }
}
