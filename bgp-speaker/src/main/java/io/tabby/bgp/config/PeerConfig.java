package io.tabby.bgp.config;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.tabby.bgp.wire.Addresses;

/**
 * One configured neighbor: its address and AS, whether we wait for it to connect, an optional
 * local address to connect from, and the session options (unwrapped into the same mapping).
 */
public record PeerConfig(String address, long as, boolean passive, Integer port, String localAddress,
        @JsonUnwrapped PeerOptions options) {

    public PeerConfig {
        options = options == null ? PeerOptions.DEFAULTS : options;
    }

    void validate() {
        if (address == null) {
            throw new IllegalArgumentException("a peer needs an address");
        }
        Addresses.parse(address);
        if (localAddress != null) {
            Addresses.parse(localAddress);
        }
        if (as < 0 || as > 0xffffffffL) {
            throw new IllegalArgumentException("peer " + address + ": as must be 0..4294967295 (0 = any)");
        }
        options.validate("peer " + address);
    }
}
