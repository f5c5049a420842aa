package io.tabby.bgp.rib;

import io.tabby.bgp.wire.Prefix;

/** A prefix and one path to it: what flows between the RIB, policy and the FIB. */
public record Route(Prefix prefix, Path path) {
    public AttrSet attrs() {
        return path.attrs();
    }

    public Peer source() {
        return path.source();
    }
}
