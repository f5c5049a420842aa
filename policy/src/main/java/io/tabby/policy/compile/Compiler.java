package io.tabby.policy.compile;

import io.tabby.policy.ir.Action;
import io.tabby.policy.ir.AddressSet;
import io.tabby.policy.ir.Chain;
import io.tabby.policy.ir.Match;
import io.tabby.policy.ir.PortSet;
import io.tabby.policy.ir.Rule;
import io.tabby.policy.ir.Ruleset;
import io.tabby.policy.model.Cidr;
import io.tabby.policy.model.Cluster;
import io.tabby.policy.model.ContainerPort;
import io.tabby.policy.model.Endpoint;
import io.tabby.policy.model.NetworkPolicy;
import io.tabby.policy.model.Peer;
import io.tabby.policy.model.PolicyType;
import io.tabby.policy.model.PortMatch;
import io.tabby.policy.model.Protocol;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Compiles a cluster snapshot into the {@link Ruleset} for one node: a pure function.
 *
 * <ul>
 *   <li>Only policies that select a local endpoint get chains; sets hold cluster-wide members.</li>
 *   <li>Each k8s rule becomes one IR rule per (peer, port group): peers are ORed by being separate
 *       rules, and a rule's ports stay bound to that rule's peers (pitfall 16).</li>
 *   <li>A selector peer becomes a set named by its canonical text, so equal selectors share one
 *       set; an ipBlock becomes the set of prefixes {@code cidr - except} (an except narrows its
 *       own peer, it is never a deny: pitfalls 1 and 2).</li>
 *   <li>A named port becomes an (IP, port) set over every pod defining it with that protocol,
 *       matched on the destination, so it resolves on the destination pod (pitfalls 5-7).</li>
 *   <li>An ipBlock's set has the block's family: IPv6 blocks give IPv6 sets and rules that match
 *       IPv6 packets only. Pods are IPv4 in this model, so a pod's IPv6 traffic can be allowed
 *       by IPv6 ipBlocks and by rules without peers, never by a pod or namespace selector.</li>
 * </ul>
 * A policy whose compilation throws is reported in {@link Ruleset#errors()} and replaced by an
 * empty chain: the pods it selects stay isolated (fail closed), every other policy is compiled.
 */
public final class Compiler {
    /**
     * Largest set a policy may produce. An ipBlock with many scattered excepts expands to many
     * prefixes (a /0 minus 1,000 scattered /32s is about 30,000); past this a policy is refused
     * rather than allowed to stall every update of the node.
     */
    public static final int DEFAULT_MAX_SET_MEMBERS = 65_536;

    private final Cluster cluster;
    private final int maxSetMembers;
    private final Map<String, List<Endpoint>> byNamespace = new HashMap<>();
    private final Map<String, List<NetworkPolicy>> policiesByNamespace = new HashMap<>();
    private final Map<String, AddressSet> addressSets = new TreeMap<>();
    private final Map<String, PortSet> portSets = new TreeMap<>();
    private final Map<String, Map<Protocol, List<PortSet.Member>>> namedPorts = new HashMap<>();

    private Compiler(Cluster cluster, int maxSetMembers) {
        this.cluster = cluster;
        this.maxSetMembers = maxSetMembers;
        for (Endpoint e : cluster.endpoints()) {
            byNamespace.computeIfAbsent(e.namespace(), k -> new ArrayList<>()).add(e);
            for (ContainerPort p : e.ports()) {
                if (p.name() != null) {
                    namedPorts.computeIfAbsent(p.name(), k -> new EnumMap<>(Protocol.class))
                            .computeIfAbsent(p.protocol(), k -> new ArrayList<>())
                            .add(new PortSet.Member(e.ip(), p.port()));
                }
            }
        }
        for (NetworkPolicy p : cluster.policies()) {
            policiesByNamespace.computeIfAbsent(p.namespace(), k -> new ArrayList<>()).add(p);
        }
    }

    /** The ruleset for the endpoints whose {@code node} is {@code node}. */
    public static Ruleset compile(Cluster cluster, String node) {
        return compile(cluster, node, DEFAULT_MAX_SET_MEMBERS);
    }

    /** As {@link #compile(Cluster, String)} with a different limit on set sizes. */
    public static Ruleset compile(Cluster cluster, String node, int maxSetMembers) {
        return new Compiler(cluster, maxSetMembers).run(node);
    }

    private Ruleset run(String node) {
        List<String> errors = new ArrayList<>();
        Map<String, Chain> policyChains = new TreeMap<>();
        List<Chain> endpointChains = new ArrayList<>();
        SortedMap<String, String> from = new TreeMap<>();
        SortedMap<String, String> to = new TreeMap<>();
        for (Endpoint e : cluster.endpoints()) {
            if (!e.node().equals(node)) {
                continue;
            }
            for (PolicyType dir : PolicyType.values()) {
                List<NetworkPolicy> isolating = new ArrayList<>();
                for (NetworkPolicy p : policiesByNamespace.getOrDefault(e.namespace(), List.of())) {
                    if (p.isolates(dir) && p.selects(e)) {
                        isolating.add(p);
                        policyChains.computeIfAbsent(policyChainName(p, dir), n -> policyChain(p, dir, n, errors));
                    }
                }
                String name = (dir == PolicyType.Ingress ? "tw." : "fw.") + e.iface();
                endpointChains.add(endpointChain(e, dir, name, isolating));
                (dir == PolicyType.Ingress ? to : from).put(e.iface(), name);
            }
        }
        List<Chain> chains = new ArrayList<>(endpointChains);
        chains.addAll(policyChains.values());
        chains.sort(java.util.Comparator.comparing(Chain::name));
        return new Ruleset(List.copyOf(addressSets.values()), List.copyOf(portSets.values()), chains, from, to, errors);
    }

    /**
     * {@code pi.<ns>.<name>} / {@code po.<ns>.<name>}; names that would pass nft's 256-character
     * limit (a policy name may have 253) keep a prefix and end in a hash of the whole.
     */
    public static String policyChainName(NetworkPolicy p, PolicyType dir) {
        String name = (dir == PolicyType.Ingress ? "pi." : "po.") + p.namespace() + "." + p.name();
        return name.length() <= 200 ? name : name.substring(0, 180) + "." + hash(name);
    }

    private static Chain endpointChain(Endpoint e, PolicyType dir, String name, List<NetworkPolicy> isolating) {
        String what = e.key() + " " + dir.name().toLowerCase(java.util.Locale.ROOT);
        if (isolating.isEmpty()) {
            return new Chain(name, List.of(), what + ": not isolated");
        }
        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule(List.of(), new Action.ClearAllowMark(), "start of " + what));
        for (NetworkPolicy p : isolating) {
            rules.add(new Rule(List.of(), new Action.Jump(policyChainName(p, dir)), p.key()));
            rules.add(new Rule(List.of(new Match.AllowMarked()), new Action.Return(), "allowed by " + p.key()));
        }
        rules.add(new Rule(List.of(), new Action.Drop(), what + ": isolated and no policy allows it"));
        return new Chain(name, rules, what + ": isolated by " + isolating.size() + " policies");
    }

    private Chain policyChain(NetworkPolicy p, PolicyType dir, String name, List<String> errors) {
        java.util.Set<String> setsBefore = new java.util.HashSet<>(addressSets.keySet());
        java.util.Set<String> portSetsBefore = new java.util.HashSet<>(portSets.keySet());
        try {
            List<Rule> rules = new ArrayList<>();
            List<io.tabby.policy.model.Rule> k8sRules = p.rules(dir);
            for (int i = 0; i < k8sRules.size(); i++) {
                compileRule(p, dir, i, k8sRules.get(i), rules);
            }
            return new Chain(name, rules, p.key() + " " + dir);
        } catch (RuntimeException ex) {
            // Nothing of a failed policy survives: drop the sets it was first to create.
            addressSets.keySet().retainAll(setsBefore);
            portSets.keySet().retainAll(portSetsBefore);
            errors.add("NetworkPolicy " + p.key() + ": " + ex.getMessage() + " (its pods stay isolated; nothing it allows is enforced)");
            return new Chain(name, List.of(), p.key() + " " + dir + ": failed to compile, allows nothing");
        }
    }

    private void compileRule(NetworkPolicy p, PolicyType dir, int index, io.tabby.policy.model.Rule r, List<Rule> out) {
        String comment = p.key() + " " + dir.name().toLowerCase(java.util.Locale.ROOT) + "[" + index + "]";
        List<List<Match>> peerMatches = new ArrayList<>();
        if (r.peers().isEmpty()) {
            peerMatches.add(List.of());
        }
        for (Peer peer : r.peers()) {
            AddressSet set = peerSet(peer, p.namespace());
            if (set != null) {
                peerMatches.add(List.of(dir == PolicyType.Ingress ? new Match.SrcInSet(set.name(), set.v6())
                        : new Match.DstInSet(set.name(), set.v6())));
            }
        }
        List<Match> portMatches = portMatches(r.ports());
        for (List<Match> peer : peerMatches) {
            if (r.ports().isEmpty()) {
                out.add(new Rule(peer, new Action.AllowAndReturn(), comment));
            }
            for (Match port : portMatches) {
                List<Match> m = new ArrayList<>(peer);
                m.add(port);
                out.add(new Rule(m, new Action.AllowAndReturn(), comment));
            }
        }
    }

    /** One match per protocol for numbers and ranges, one per named port; all-ports subsume. */
    private List<Match> portMatches(List<PortMatch> ports) {
        Map<Protocol, List<Match.PortRange>> ranges = new EnumMap<>(Protocol.class);
        Map<Protocol, Boolean> all = new EnumMap<>(Protocol.class);
        Map<String, Match> named = new LinkedHashMap<>();
        for (PortMatch pm : ports) {
            switch (pm.ports()) {
                case PortMatch.AllPorts a -> all.put(pm.protocol(), true);
                case PortMatch.Range r -> ranges.computeIfAbsent(pm.protocol(), k -> new ArrayList<>())
                        .add(new Match.PortRange(r.from(), r.to()));
                case PortMatch.Named n -> named.putIfAbsent(n.name() + "/" + pm.protocol(),
                        new Match.DstAddrPortInSet(portSet(n.name(), pm.protocol()), pm.protocol()));
            }
        }
        List<Match> out = new ArrayList<>();
        for (Protocol proto : Protocol.values()) {
            if (all.containsKey(proto)) {
                out.add(new Match.Proto(proto));
            } else if (ranges.containsKey(proto)) {
                out.add(new Match.DstPorts(proto, ranges.get(proto).stream().distinct()
                        .sorted(java.util.Comparator.comparingInt(Match.PortRange::from)).toList()));
            }
        }
        for (Map.Entry<String, Match> e : named.entrySet()) {
            Protocol proto = ((Match.DstAddrPortInSet) e.getValue()).protocol();
            if (!all.containsKey(proto)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** The set standing for a peer, created on first use; null when it can match nothing. */
    private AddressSet peerSet(Peer peer, String policyNamespace) {
        return switch (peer) {
            case Peer.Pods pods -> {
                String canonical = pods.canonical(policyNamespace);
                String name = "s-" + hash(canonical);
                yield addressSets.computeIfAbsent(name, n -> new AddressSet(n, false, false, podMembers(pods, policyNamespace), canonical));
            }
            case Peer.IpBlock b -> {
                List<String> members = b.members().stream().sorted().map(Compiler::prefix).toList();
                if (members.size() > maxSetMembers) {
                    throw new IllegalArgumentException(b.canonical() + " expands to " + members.size()
                            + " prefixes, more than the limit of " + maxSetMembers);
                }
                if (members.isEmpty()) {
                    yield null;
                }
                String name = "s-" + hash(b.canonical());
                yield addressSets.computeIfAbsent(name, n -> new AddressSet(n, b.cidr().v6(), true, members, b.canonical()));
            }
        };
    }

    private static String prefix(Cidr c) {
        return c.prefix() == c.bits() ? new Cidr.Address(c.v6(), c.base()).toString() : c.toString();
    }

    private List<String> podMembers(Peer.Pods pods, String policyNamespace) {
        List<String> ips = new ArrayList<>();
        for (Map.Entry<String, List<Endpoint>> ns : byNamespace.entrySet()) {
            if (!cluster.peerNamespaceMatches(pods, policyNamespace, ns.getKey())) {
                continue;
            }
            for (Endpoint e : ns.getValue()) {
                if (pods.podSelector().matches(e.labels())) {
                    ips.add(e.ip());
                }
            }
        }
        ips.sort(Compiler::compareIp);
        return ips;
    }

    private String portSet(String portName, Protocol protocol) {
        String name = "n-" + hash(protocol + "/" + portName);
        portSets.computeIfAbsent(name, n -> {
            List<PortSet.Member> members = new ArrayList<>(namedPorts.getOrDefault(portName, Map.of()).getOrDefault(protocol, List.of()));
            members.sort((a, b) -> {
                int c = compareIp(a.ip(), b.ip());
                return c != 0 ? c : Integer.compare(a.port(), b.port());
            });
            return new PortSet(n, protocol, members, "named port " + portName + "/" + protocol);
        });
        return name;
    }

    static int compareIp(String a, String b) {
        return Long.compare(ipv4(a), ipv4(b));
    }

    private static long ipv4(String ip) {
        long v = 0;
        int octet = 0;
        for (int i = 0; i < ip.length(); i++) {
            char c = ip.charAt(i);
            if (c == '.') {
                v = (v << 8) | octet;
                octet = 0;
            } else {
                octet = octet * 10 + (c - '0');
            }
        }
        return (v << 8) | octet;
    }

    /** 12 hex digits of SHA-256: stable names that fit ipset's 31 characters with a prefix. */
    static String hash(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
