package io.tabby.bgp.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.Prefix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tabby.bgp.fib.KernelRoute;
import io.tabby.bgp.fib.Redistributor;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Policy;
import io.tabby.bgp.policy.PrefixRange;
import io.tabby.bgp.rib.Peer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The speaker's configuration, as written in YAML or JSON (JSON is valid YAML). Every field has
 * a default except {@code localAs} and {@code routerId}; {@link #validate()} names what is
 * wrong before anything starts.
 *
 * <pre>
 * localAs: 64512
 * routerId: 10.99.0.11
 * listen: {address: "::", port: 179}     # port -1: no listener (outgoing sessions only)
 * netns: /run/netns/n1                    # optional: open every socket inside this namespace
 * peers:
 *   - {address: 10.99.0.1, as: 65001, holdTime: 9, password: s3cret, ttlSecurityHops: 1}
 * dynamicPeers:
 *   - {prefix: 10.99.0.0/24, as: 64512}
 * originate:
 *   - {prefix: 10.244.1.0/26, communities: ["64512:100"]}
 * clusterId: 10.99.0.11                   # route reflection (default: routerId)
 * maxPaths: 4                             # ECMP multipath maximum (default 1)
 * alwaysCompareMed: false
 * nextHopResolution: kernel               # kernel (routing table of our namespace) | none
 * fib: {enabled: true, protocol: 250, table: 254}
 * redistribute: {types: [blackhole], within: ["10.244.0.0/16+"]}
 * apiSocket: /run/tabby/bgp.sock
 * policies: {NAME: {terms: [...], otherwise: reject}}   # see PolicyConfig
 * gracefulRestart: {restartTime: 120}     # optional, see {@link GracefulRestartConfig}
 * warmUp: {routes: 100000, rounds: 3}     # optional: train the JIT before the sessions open, see {@link WarmUp}
 * </pre>
 */
public record BgpConfig(
        long localAs,
        String routerId,
        Listen listen,
        String netns,
        List<PeerConfig> peers,
        List<DynamicPeers> dynamicPeers,
        List<Originate> originate,
        String clusterId,
        Integer maxPaths,
        Boolean alwaysCompareMed,
        String nextHopResolution,
        Fib fib,
        Redistribute redistribute,
        String apiSocket,
        Map<String, PolicyConfig> policies,
        GracefulRestartConfig gracefulRestart,
        WarmUp warmUp) {

    /** Our route protocol number in the kernel when none is configured (Calico's BIRD uses 12 "bird"). */
    public static final int DEFAULT_FIB_PROTOCOL = 250;
    public static final String DEFAULT_API_SOCKET = "/run/tabby/bgp.sock";

    public BgpConfig {
        gracefulRestart = gracefulRestart == null ? GracefulRestartConfig.OFF : gracefulRestart;
        listen = listen == null ? new Listen(null, null) : listen;
        peers = peers == null ? List.of() : List.copyOf(peers);
        dynamicPeers = dynamicPeers == null ? List.of() : List.copyOf(dynamicPeers);
        originate = originate == null ? List.of() : List.copyOf(originate);
        fib = fib == null ? new Fib(false, null, null) : fib;
        policies = policies == null ? Map.of() : Map.copyOf(policies);
    }

    /**
     * A JIT warm-up before the sessions open (off unless given): {@code rounds} times, {@code routes}
     * IPv4 routes are announced and withdrawn through four private speakers on loopback (127.0.0.1-4,
     * inside {@link #netns()}), from one source and from two, so the first real burst of UPDATEs
     * meets compiled code instead of the interpreter. Costs 15-25 CPU-seconds at start with the
     * defaults; worth it where large tables arrive (route
     * reflectors, full-table peers), not on a node that learns a handful of routes.
     */
    public record WarmUp(Integer routes, Integer rounds, Integer timeoutSeconds) {
        public int routesOrDefault() {
            return routes == null ? 100_000 : routes;
        }

        public int roundsOrDefault() {
            return rounds == null ? 3 : rounds;
        }

        public int timeoutOrDefault() {
            return timeoutSeconds == null ? 60 : timeoutSeconds;
        }

        void validate() {
            if (routesOrDefault() < 1 || routesOrDefault() > 4_000_000) {
                throw new IllegalArgumentException("warmUp.routes must be 1..4000000, got " + routes);
            }
            if (roundsOrDefault() < 1 || roundsOrDefault() > 20) {
                throw new IllegalArgumentException("warmUp.rounds must be 1..20, got " + rounds);
            }
            if (timeoutOrDefault() < 1) {
                throw new IllegalArgumentException("warmUp.timeoutSeconds must be positive, got " + timeoutSeconds);
            }
        }
    }

    /** Best paths into the kernel: off unless enabled; routes carry {@code protocol} (default 250) in {@code table} (254). */
    public record Fib(boolean enabled, Integer protocol, Integer table) {
        public int protocolOrDefault() {
            return protocol == null ? DEFAULT_FIB_PROTOCOL : protocol;
        }

        public int tableOrDefault() {
            return table == null ? KernelRoute.TABLE_MAIN : table;
        }
    }

    /**
     * Kernel routes announced into BGP: of these types (unicast, blackhole, unreachable; default
     * blackhole), from these route protocols (empty: any but ours), inside these prefix ranges
     * (empty: any), with these communities.
     */
    public record Redistribute(List<String> types, List<Integer> protocols, List<String> within, List<String> communities) {
        public Redistributor.Filter filter() {
            Set<KernelRoute.Type> t = types == null || types.isEmpty() ? Set.of(KernelRoute.Type.BLACKHOLE)
                    : Set.copyOf(types.stream().map(x -> PolicyConfig.field("redistribute.types", () -> switch (x.toLowerCase(Locale.ROOT)) {
                        case "unicast" -> KernelRoute.Type.UNICAST;
                        case "blackhole" -> KernelRoute.Type.BLACKHOLE;
                        case "unreachable" -> KernelRoute.Type.UNREACHABLE;
                        default -> throw new IllegalArgumentException("must be unicast, blackhole or unreachable, got " + x);
                    })).toList());
            return new Redistributor.Filter(t, protocols == null ? Set.of() : Set.copyOf(protocols),
                    within == null ? List.of() : PolicyConfig.field("redistribute.within",
                            () -> within.stream().map(PrefixRange::parse).toList()));
        }

        public List<Integer> communityValues() {
            return communities == null ? List.of()
                    : PolicyConfig.field("redistribute.communities", () -> communities.stream().map(Communities::parse).toList());
        }
    }

    public boolean resolveNextHopsInKernel() {
        return nextHopResolution == null || nextHopResolution.equals("kernel");
    }

    public String apiSocketOrDefault() {
        return apiSocket == null ? DEFAULT_API_SOCKET : apiSocket;
    }

    /**
     * The neighbour's import and export policies: {@code allowAll}, or the named policies, with
     * the RFC 8212 default (eBGP: nothing; iBGP: everything) where none is named.
     */
    public PeerPolicies policiesFor(Peer peer, PeerOptions o) {
        if (Boolean.TRUE.equals(o.allowAll())) {
            return PeerPolicies.allowAll();
        }
        return PeerPolicies.forPeer(peer, namedPolicy(o.importPolicy(), "importPolicy"),
                namedPolicy(o.exportPolicy(), "exportPolicy"));
    }

    private Optional<Policy> namedPolicy(String name, String field) {
        if (name == null) {
            return Optional.empty();
        }
        PolicyConfig p = policies.get(name);
        if (p == null) {
            throw new IllegalArgumentException(field + ": no policy named " + name + " under policies " + policies.keySet());
        }
        return Optional.of(p.toPolicy(name, "policies." + name));
    }

    /** Where to accept connections; defaults to all addresses, port 179. */
    public record Listen(String address, Integer port) {
        public String addressOrDefault() {
            return address == null ? "0.0.0.0" : address;
        }

        public int portOrDefault() {
            return port == null ? 179 : port;
        }
    }

    /** A prefix range whose speakers may connect without being configured one by one (passive). */
    public record DynamicPeers(String prefix, long as, PeerOptions options) {}

    /** A route this speaker announces to every peer. */
    public record Originate(String prefix, List<String> communities, Long med, Long localPref, String nextHop) {
        public Originate {
            communities = communities == null ? List.of() : List.copyOf(communities);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads and validates a YAML or JSON file. */
    public static BgpConfig load(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    public static BgpConfig parse(String text, String source) {
        BgpConfig c;
        try {
            c = MAPPER.readValue(text, BgpConfig.class);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(source + ": " + e.getOriginalMessage() + " at " + e.getPathReference(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        c.validate();
        return c;
    }

    /** Throws IllegalArgumentException naming the first thing that is wrong. */
    public void validate() {
        if (localAs <= 0 || localAs > 0xffffffffL) {
            throw new IllegalArgumentException("localAs must be 1..4294967295, got " + localAs);
        }
        if (routerId == null) {
            throw new IllegalArgumentException("routerId is required (an IPv4 address)");
        }
        Addresses.parse4(routerId);
        Addresses.parse(listen.addressOrDefault());
        Set<String> seen = new HashSet<>();
        policies.forEach((name, p) -> p.toPolicy(name, "policies." + name));
        if (clusterId != null) {
            PolicyConfig.field("clusterId", () -> Addresses.parse4(clusterId));
        }
        if (maxPaths != null && (maxPaths < 1 || maxPaths > 64)) {
            throw new IllegalArgumentException("maxPaths must be 1..64, got " + maxPaths);
        }
        if (nextHopResolution != null && !nextHopResolution.equals("kernel") && !nextHopResolution.equals("none")) {
            throw new IllegalArgumentException("nextHopResolution must be kernel or none, got " + nextHopResolution);
        }
        int proto = fib.protocolOrDefault();
        if (proto < 5 || proto > 255) {
            throw new IllegalArgumentException("fib.protocol must be 5..255 (0-4 belong to the kernel), got " + proto);
        }
        if (fib.tableOrDefault() < 1) {
            throw new IllegalArgumentException("fib.table must be a positive table id, got " + fib.tableOrDefault());
        }
        if (redistribute != null) {
            redistribute.filter();
            redistribute.communityValues();
        }
        if (apiSocket != null && apiSocket.isBlank()) {
            throw new IllegalArgumentException("apiSocket must be a path (or left out for " + DEFAULT_API_SOCKET + ")");
        }
        for (PeerConfig p : peers) {
            p.validate();
            PeerOptions o = p.options();
            PolicyConfig.field("peer " + p.address(), () -> {
                namedPolicy(o.importPolicy(), "importPolicy");
                return namedPolicy(o.exportPolicy(), "exportPolicy");
            });
            if (!seen.add(Addresses.parse(p.address()).getHostAddress())) {
                throw new IllegalArgumentException("peer " + p.address() + " is configured twice");
            }
        }
        for (DynamicPeers d : dynamicPeers) {
            Prefix.parse(d.prefix());
            if (d.options() != null) {
                d.options().validate("dynamicPeers " + d.prefix());
                PolicyConfig.field("dynamicPeers " + d.prefix(), () -> {
                    namedPolicy(d.options().importPolicy(), "importPolicy");
                    return namedPolicy(d.options().exportPolicy(), "exportPolicy");
                });
            }
        }
        for (Originate o : originate) {
            Prefix.parse(o.prefix());
            o.communities().forEach(Communities::parse);
            if (o.nextHop() != null) {
                Addresses.parse(o.nextHop());
            }
        }
        gracefulRestart.validate();
        if (warmUp != null) {
            warmUp.validate();
        }
        if (netns != null && !Files.exists(Path.of(netns))) {
            throw new IllegalArgumentException("netns " + netns + " does not exist");
        }
    }
}
