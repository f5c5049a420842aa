package io.tabby.policy.compile;

import io.tabby.policy.ir.Action;
import io.tabby.policy.ir.AddressSet;
import io.tabby.policy.ir.Chain;
import io.tabby.policy.ir.Match;
import io.tabby.policy.ir.PortSet;
import io.tabby.policy.ir.Rule;
import io.tabby.policy.ir.Ruleset;
import io.tabby.policy.model.Cidr;
import io.tabby.policy.model.Protocol;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes a {@link Ruleset} the way both renderers lay it out (the forward hook: dispatch by
 * interface to the endpoint chains, jumps to policy chains, the allow mark), for one packet. A
 * test-only model of the dataplane, so the compiler can be checked against the evaluator on far
 * more cases than real probes can afford.
 */
final class IrInterpreter {
    private enum Verdict { ACCEPT, DROP, RETURN }

    private final Ruleset rs;
    private final String prefix;
    private final Map<String, Chain> chains = new HashMap<>();
    private final Map<String, List<Cidr>> addressSets = new HashMap<>();
    private final Map<String, List<PortSet.Member>> portSets = new HashMap<>();
    private boolean mark;

    IrInterpreter(Ruleset rs, String interfacePrefix) {
        this.rs = rs;
        this.prefix = interfacePrefix;
        rs.chains().forEach(c -> chains.put(c.name(), c));
        for (AddressSet s : rs.addressSets()) {
            addressSets.put(s.name(), s.members().stream().map(Cidr::parse).toList());
        }
        rs.portSets().forEach(s -> portSets.put(s.name(), s.members()));
    }

    /** True when the forward hook lets the first packet of this connection through. */
    boolean forwards(String iif, String oif, String src, String dst, Protocol proto, int port) {
        Packet p = new Packet(Cidr.Address.parse(src), Cidr.Address.parse(dst), dst, proto, port);
        if (iif.startsWith(prefix)) {
            String chain = rs.fromEndpoint().get(iif);
            if (chain == null || run(chain, p) == Verdict.DROP) {
                return false;
            }
        }
        if (oif.startsWith(prefix)) {
            String chain = rs.toEndpoint().get(oif);
            return chain != null && run(chain, p) != Verdict.DROP;
        }
        return true;
    }

    private record Packet(Cidr.Address src, Cidr.Address dst, String dstIp, Protocol proto, int port) {}

    private Verdict run(String name, Packet p) {
        Chain c = chains.get(name);
        if (c == null) {
            throw new AssertionError("jump to a chain that does not exist: " + name);
        }
        for (Rule r : c.rules()) {
            if (!r.matches().stream().allMatch(m -> matches(m, p))) {
                continue;
            }
            switch (r.action()) {
                case Action.Accept a -> { return Verdict.ACCEPT; }
                case Action.Drop a -> { return Verdict.DROP; }
                case Action.Return a -> { return Verdict.RETURN; }
                case Action.Jump j -> {
                    Verdict v = run(j.chain(), p);
                    if (v != Verdict.RETURN) {
                        return v;
                    }
                }
                case Action.ClearAllowMark a -> mark = false;
                case Action.AllowAndReturn a -> {
                    mark = true;
                    return Verdict.RETURN;
                }
            }
        }
        return Verdict.RETURN;
    }

    private boolean matches(Match m, Packet p) {
        return switch (m) {
            case Match.Proto x -> p.proto() == x.protocol();
            case Match.DstPorts x -> p.proto() == x.protocol()
                    && x.ranges().stream().anyMatch(r -> p.port() >= r.from() && p.port() <= r.to());
            case Match.SrcInSet x -> set(x.set()).stream().anyMatch(c -> c.contains(p.src()));
            case Match.DstInSet x -> set(x.set()).stream().anyMatch(c -> c.contains(p.dst()));
            case Match.DstAddrPortInSet x -> p.proto() == x.protocol()
                    && portSets.get(x.set()).contains(new PortSet.Member(p.dstIp(), p.port()));
            case Match.AllowMarked x -> mark;
        };
    }

    private List<Cidr> set(String name) {
        List<Cidr> s = addressSets.get(name);
        if (s == null) {
            throw new AssertionError("reference to a set that does not exist: " + name);
        }
        return s;
    }
}
