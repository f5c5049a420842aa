package io.tabby.policy.eval;

import io.tabby.policy.model.Protocol;

/** The verdict on one connection and the two sides that produced it; both must allow. */
public record Explanation(Party from, Party to, Protocol protocol, int port, Side egress, Side ingress) {

    public boolean allowed() {
        return egress.allows() && ingress.allows();
    }
}
