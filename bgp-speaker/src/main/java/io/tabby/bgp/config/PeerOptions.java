package io.tabby.bgp.config;

import io.tabby.bgp.policy.ExportRules.NextHopMode;
import io.tabby.bgp.policy.MaxPrefix;
import io.tabby.bgp.rib.AdjRibIn;
import io.tabby.bgp.wire.Family;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Per-session options shared by configured and dynamic peers. Null means "the default".
 *
 * @param holdTime seconds, 0 or >= 3 (default 90)
 * @param connectRetry seconds (default 5)
 * @param delayOpen seconds, 0 = off (default 0)
 * @param password TCP MD5 signature key (RFC 2385); needs the epoll transport
 * @param ttlSecurityHops GTSM (RFC 5082): send with TTL 255, accept only TTL >= 255 - hops + 1
 * @param families "ipv4-unicast" and/or "ipv6-unicast" (default ipv4-unicast)
 * @param extendedNextHop advertise RFC 8950 (IPv4 NLRI with IPv6 next hop)
 * @param extendedMessage advertise RFC 8654
 * @param addPath RFC 7911 mode: "receive", "send" or "both"
 * @param fourOctetAs advertise RFC 6793 (default true; false only for interop tests)
 * @param importPolicy name of a policy under {@code policies}; default: RFC 8212 (eBGP nothing, iBGP all)
 * @param exportPolicy the same for what we send
 * @param allowAll the lab one-liner: accept and advertise everything, both directions (instead of policies)
 * @param routeReflectorClient this iBGP neighbour is our route-reflector client (RFC 4456)
 * @param nextHop "auto" (eBGP: ours, iBGP: keep), "self" or "keep"
 * @param maxPrefix a limit on accepted prefixes per family and what crossing it does
 * @param keepReceived keep the Adj-RIB-In (pre-policy) for re-import and the received count (default true)
 */
public record PeerOptions(
        Integer holdTime,
        Integer connectRetry,
        Integer delayOpen,
        String password,
        Integer ttlSecurityHops,
        List<String> families,
        Boolean extendedNextHop,
        Boolean extendedMessage,
        String addPath,
        Boolean fourOctetAs,
        String importPolicy,
        String exportPolicy,
        Boolean allowAll,
        Boolean routeReflectorClient,
        String nextHop,
        MaxPrefixConfig maxPrefix,
        Boolean keepReceived) {

    public static final PeerOptions DEFAULTS = new PeerOptions(null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);

    /**
     * {@code maxPrefix: {limit: 1000, action: restart, restartAfter: 30, warnPercent: 80}}; action
     * {@code warn} (log only) or {@code restart} (Cease 6/1, RFC 4486, then reconnect after
     * {@code restartAfter} seconds; 0 = stay down).
     */
    public record MaxPrefixConfig(Long limit, String action, Integer restartAfter, Integer warnPercent) {
        MaxPrefix toLimit(String where) {
            if (limit == null) {
                throw new IllegalArgumentException(where + ".maxPrefix.limit is required");
            }
            MaxPrefix.OnExceed on = switch (action == null ? "warn" : action.toLowerCase(Locale.ROOT)) {
                case "warn" -> MaxPrefix.OnExceed.WARN;
                case "restart" -> MaxPrefix.OnExceed.CEASE;
                default -> throw new IllegalArgumentException(where + ".maxPrefix.action must be warn or restart, got " + action);
            };
            if (restartAfter != null && restartAfter < 0) {
                throw new IllegalArgumentException(where + ".maxPrefix.restartAfter must be >= 0 seconds, got " + restartAfter);
            }
            return PolicyConfig.field(where + ".maxPrefix", () -> new MaxPrefix(limit, warnPercent == null ? 0 : warnPercent, on,
                    Duration.ofSeconds(restartAfter == null ? 60 : restartAfter)));
        }
    }

    public Optional<MaxPrefix> maxPrefixLimit() {
        return maxPrefix == null ? Optional.empty() : Optional.of(maxPrefix.toLimit("maxPrefix"));
    }

    public NextHopMode nextHopMode() {
        return switch (nextHop == null ? "auto" : nextHop.toLowerCase(Locale.ROOT)) {
            case "auto" -> NextHopMode.AUTO;
            case "self" -> NextHopMode.SELF;
            case "keep" -> NextHopMode.KEEP;
            default -> throw new IllegalArgumentException("nextHop must be auto, self or keep, got " + nextHop);
        };
    }

    public AdjRibIn.Retention retention() {
        return keepReceived == null || keepReceived ? AdjRibIn.Retention.ALL : AdjRibIn.Retention.NONE;
    }

    void validate(String where) {
        if (holdTime != null && (holdTime < 0 || holdTime == 1 || holdTime == 2 || holdTime > 65535)) {
            throw new IllegalArgumentException(where + ": holdTime must be 0 or 3..65535, got " + holdTime);
        }
        if (ttlSecurityHops != null && (ttlSecurityHops < 1 || ttlSecurityHops > 254)) {
            throw new IllegalArgumentException(where + ": ttlSecurityHops must be 1..254, got " + ttlSecurityHops);
        }
        if (password != null && (password.isEmpty() || password.length() > 80)) {
            throw new IllegalArgumentException(where + ": password must be 1..80 characters (TCP_MD5SIG_MAXKEYLEN)");
        }
        PolicyConfig.field(where + ".families", this::familySet);
        PolicyConfig.field(where + ".addPath", this::addPathMode);
        PolicyConfig.field(where + ".nextHop", this::nextHopMode);
        if (maxPrefix != null) {
            maxPrefix.toLimit(where);
        }
        if (Boolean.TRUE.equals(allowAll) && (importPolicy != null || exportPolicy != null)) {
            throw new IllegalArgumentException(where + ": allowAll and importPolicy/exportPolicy exclude each other");
        }
    }

    public Set<Family> familySet() {
        if (families == null || families.isEmpty()) {
            return Set.of(Family.IPV4_UNICAST);
        }
        return families.stream().map(f -> switch (f) {
            case "ipv4-unicast" -> Family.IPV4_UNICAST;
            case "ipv6-unicast" -> Family.IPV6_UNICAST;
            default -> throw new IllegalArgumentException("unknown family " + f + " (ipv4-unicast, ipv6-unicast)");
        }).collect(Collectors.toUnmodifiableSet());
    }

    public int addPathMode() {
        if (addPath == null) {
            return 0;
        }
        return switch (addPath) {
            case "receive" -> 1;
            case "send" -> 2;
            case "both" -> 3;
            default -> throw new IllegalArgumentException("addPath must be receive, send or both: " + addPath);
        };
    }
}
