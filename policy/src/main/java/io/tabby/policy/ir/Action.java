package io.tabby.policy.ir;

/**
 * What a rule does when its matches hold. Policy chains never accept outright: they set the
 * allow mark and return ({@link AllowAndReturn}), so that the client's egress chain and the
 * server's ingress chain are both evaluated for a packet forwarded between two local pods
 * (calico-behaviours.md 3.3-3.5: accept mark + RETURN).
 */
public sealed interface Action {
    record Accept() implements Action {}

    record Drop() implements Action {}

    record Return() implements Action {}

    record Jump(String chain) implements Action {}

    /** Clear the allow mark; not terminal. */
    record ClearAllowMark() implements Action {}

    /** Set the allow mark and return to the calling chain. */
    record AllowAndReturn() implements Action {}
}
