package io.tabby.policy.eval;

import io.tabby.policy.model.Protocol;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A reachability truth table for one protocol and port: row = client, column = server, in the
 * order of {@link #pods()}. Rendered like the upstream e2e {@code TruthTable}: {@code .} allowed,
 * {@code X} denied. Value semantics, so an observed matrix can be compared with an expected one.
 */
public final class Matrix {
    private final Protocol protocol;
    private final int port;
    private final List<String> pods;
    private final BitSet allowed;

    public Matrix(Protocol protocol, int port, List<String> pods, BitSet allowed) {
        this.protocol = protocol;
        this.port = port;
        this.pods = List.copyOf(pods);
        this.allowed = (BitSet) allowed.clone();
    }

    /** Builds a matrix by asking {@code oracle} about every ordered pair. */
    public static Matrix build(Protocol protocol, int port, List<String> pods, Oracle oracle) {
        BitSet b = new BitSet();
        for (int i = 0; i < pods.size(); i++) {
            for (int j = 0; j < pods.size(); j++) {
                if (oracle.allowed(pods.get(i), pods.get(j))) {
                    b.set(i * pods.size() + j);
                }
            }
        }
        return new Matrix(protocol, port, pods, b);
    }

    /** Answers one cell of a matrix. */
    @FunctionalInterface
    public interface Oracle {
        boolean allowed(String from, String to);
    }

    public Protocol protocol() {
        return protocol;
    }

    public int port() {
        return port;
    }

    public List<String> pods() {
        return pods;
    }

    public boolean allowed(String from, String to) {
        int i = index(from);
        int j = index(to);
        return allowed.get(i * pods.size() + j);
    }

    private int index(String pod) {
        int i = pods.indexOf(pod);
        if (i < 0) {
            throw new IllegalArgumentException("no pod " + pod + " in the matrix");
        }
        return i;
    }

    /** The same matrix with the diagonal (a pod to itself) forced to allowed, as e2e ignores it. */
    public Matrix ignoringLoopback() {
        BitSet b = (BitSet) allowed.clone();
        for (int i = 0; i < pods.size(); i++) {
            b.set(i * pods.size() + i);
        }
        return new Matrix(protocol, port, pods, b);
    }

    /** Cells where {@code other} differs, as "from -> to: expected/observed" lines. */
    public List<String> differences(Matrix other) {
        List<String> out = new ArrayList<>();
        for (String f : pods) {
            for (String t : pods) {
                if (allowed(f, t) != other.allowed(f, t)) {
                    out.add(f + " -> " + t + ": " + (allowed(f, t) ? "allowed" : "denied")
                            + " here, " + (other.allowed(f, t) ? "allowed" : "denied") + " there");
                }
            }
        }
        return out;
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(protocol).append('/').append(port).append("\t").append(String.join("\t", pods)).append('\n');
        for (String f : pods) {
            sb.append(f);
            for (String t : pods) {
                sb.append('\t').append(allowed(f, t) ? '.' : 'X');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix m && m.protocol == protocol && m.port == port && m.pods.equals(pods) && m.allowed.equals(allowed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, port, pods, allowed);
    }

    @Override
    public String toString() {
        return render();
    }
}
