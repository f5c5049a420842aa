package io.tabby.policy.model;

/**
 * One {@code NetworkPolicyPort}: a protocol (defaulted to TCP by the API server) and which ports
 * of it. Validation mirrors validation.go: {@code endPort} only with a numeric port and not
 * below it.
 */
public record PortMatch(Protocol protocol, Ports ports) {

    /** Which ports of the protocol. */
    public sealed interface Ports {}

    /** No {@code port}: every port of the protocol. */
    public record AllPorts() implements Ports {}

    /** {@code port} or {@code port..endPort}, inclusive. */
    public record Range(int from, int to) implements Ports {
        public Range {
            Names.checkPort("port", from);
            Names.checkPort("endPort", to);
            if (to < from) {
                throw new IllegalArgumentException("endPort " + to + " is below port " + from);
            }
        }
    }

    /** A container port name, resolved on each destination pod's own ports. */
    public record Named(String name) implements Ports {
        public Named {
            Names.checkPortName(name);
        }
    }

    public static PortMatch all(Protocol p) {
        return new PortMatch(p, new AllPorts());
    }

    public static PortMatch port(Protocol p, int port) {
        return new PortMatch(p, new Range(port, port));
    }

    public static PortMatch named(Protocol p, String name) {
        return new PortMatch(p, new Named(name));
    }

    @Override
    public String toString() {
        return switch (ports) {
            case AllPorts a -> protocol + "/*";
            case Range r when r.from() == r.to() -> r.from() + "/" + protocol;
            case Range r -> r.from() + "-" + r.to() + "/" + protocol;
            case Named n -> n.name() + "/" + protocol;
        };
    }
}
