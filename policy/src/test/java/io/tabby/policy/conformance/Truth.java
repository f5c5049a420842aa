package io.tabby.policy.conformance;

import io.tabby.policy.eval.Matrix;
import io.tabby.policy.model.Protocol;
import java.util.BitSet;
import java.util.List;

/**
 * An expected truth table written by hand, in the style of upstream {@code reachability.go}:
 * start all-allowed, then overwrite with {@code expectPeer} (a pattern is {@code ns/pod},
 * {@code ns/*} or {@code *}), {@code expectAllIngress} and {@code expectAllEgress}; later
 * calls win. The diagonal is ignored, as upstream does.
 */
public final class Truth {
    private final List<String> pods = E2eModel.podKeys();
    private final BitSet allowed = new BitSet();

    public Truth() {
        allowed.set(0, pods.size() * pods.size());
    }

    public Truth expectPeer(String from, String to, boolean ok) {
        for (int i = 0; i < pods.size(); i++) {
            for (int j = 0; j < pods.size(); j++) {
                if (matches(from, pods.get(i)) && matches(to, pods.get(j))) {
                    allowed.set(i * pods.size() + j, ok);
                }
            }
        }
        return this;
    }

    public Truth expectAllIngress(String to, boolean ok) {
        return expectPeer("*", to, ok);
    }

    public Truth expectAllEgress(String from, boolean ok) {
        return expectPeer(from, "*", ok);
    }

    public Truth expect(String from, String to, boolean ok) {
        return expectPeer(from, to, ok);
    }

    private static boolean matches(String pattern, String pod) {
        return pattern.equals("*") || pattern.equals(pod)
                || pattern.endsWith("/*") && pod.startsWith(pattern.substring(0, pattern.length() - 1));
    }

    public Matrix matrix(Protocol protocol, int port) {
        return new Matrix(protocol, port, pods, allowed).ignoringLoopback();
    }
}
