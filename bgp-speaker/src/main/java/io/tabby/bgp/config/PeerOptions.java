package io.tabby.bgp.config;

import io.tabby.bgp.wire.Family;
import java.util.List;
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
        Boolean fourOctetAs) {

    public static final PeerOptions DEFAULTS = new PeerOptions(null, null, null, null, null, null, null, null, null, null);

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
        familySet();
        addPathMode();
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
