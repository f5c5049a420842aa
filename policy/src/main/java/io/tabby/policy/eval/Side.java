package io.tabby.policy.eval;

import io.tabby.policy.model.PolicyType;
import java.util.List;

/**
 * How one direction judged a connection: the client's egress or the server's ingress.
 * {@code isolatedBy} lists the policies that select the pod for this direction; {@code allowedBy}
 * the rules that admit the connection (all of them, since policies are a union).
 */
public record Side(PolicyType direction, Outcome outcome, List<String> isolatedBy, List<RuleRef> allowedBy) {

    public Side {
        isolatedBy = List.copyOf(isolatedBy);
        allowedBy = List.copyOf(allowedBy);
    }

    public boolean allows() {
        return outcome != Outcome.DENIED;
    }

    /** Why a direction allowed or denied. */
    public enum Outcome {
        /** No policy selects the pod for this direction: everything is allowed. */
        NOT_ISOLATED,
        /** Policies isolate the pod and at least one of their rules admits the connection. */
        ALLOWED,
        /** Policies isolate the pod and none of their rules admits the connection. */
        DENIED,
        /** A pod talking to itself: never subject to policy. */
        SAME_POD,
        /** Ingress from the pod's own node: always allowed. */
        LOCAL_NODE,
        /** The egress side of a non-pod client: NetworkPolicy does not govern it. */
        NOT_A_POD
    }

    /** Rule {@code index} of {@code policy}'s {@code direction} list, with the peer and port that matched. */
    public record RuleRef(String policy, PolicyType direction, int index, String peer, String port) {
        @Override
        public String toString() {
            return policy + " " + direction.name().toLowerCase(java.util.Locale.ROOT) + "[" + index + "] (peer: " + peer + ", port: " + port + ")";
        }
    }
}
