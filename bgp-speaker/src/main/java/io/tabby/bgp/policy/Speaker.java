package io.tabby.bgp.policy;

import java.net.Inet4Address;

/**
 * Who we are, for the iBGP/eBGP and route-reflection rules: our AS, BGP identifier, the cluster
 * id we reflect with (RFC 4456 section 7; our router id unless configured), and whether clients'
 * routes are reflected to other clients (on by default; off when clients are fully meshed).
 */
public record Speaker(long as, Inet4Address routerId, Inet4Address clusterId, boolean clientToClient) {
    public static Speaker of(long as, Inet4Address routerId) {
        return new Speaker(as, routerId, routerId, true);
    }
}
