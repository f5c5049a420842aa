package io.tabby.bgp.session;

import io.tabby.bgp.wire.Addresses;
import java.net.Inet4Address;

/** Connection collision resolution, RFC 4271 section 6.8, as a pure decision. */
public final class Collision {
    private Collision() {}

    /**
     * Whether the connection we initiated is the one to close: yes when our BGP Identifier is
     * the lower (compared as unsigned 32-bit integers), otherwise the peer's connection goes.
     */
    public static boolean closeOutgoing(Inet4Address localId, Inet4Address remoteId) {
        return Addresses.toLong(localId) < Addresses.toLong(remoteId);
    }
}
