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
import java.util.HashSet;
import java.util.List;
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
 * gracefulRestart: {restartTime: 120}     # optional, see {@link GracefulRestartConfig}
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
        GracefulRestartConfig gracefulRestart) {

    public BgpConfig {
        gracefulRestart = gracefulRestart == null ? GracefulRestartConfig.OFF : gracefulRestart;
        listen = listen == null ? new Listen(null, null) : listen;
        peers = peers == null ? List.of() : List.copyOf(peers);
        dynamicPeers = dynamicPeers == null ? List.of() : List.copyOf(dynamicPeers);
        originate = originate == null ? List.of() : List.copyOf(originate);
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
        for (PeerConfig p : peers) {
            p.validate();
            if (!seen.add(Addresses.parse(p.address()).getHostAddress())) {
                throw new IllegalArgumentException("peer " + p.address() + " is configured twice");
            }
        }
        for (DynamicPeers d : dynamicPeers) {
            Prefix.parse(d.prefix());
            if (d.options() != null) {
                d.options().validate("dynamicPeers " + d.prefix());
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
        if (netns != null && !Files.exists(Path.of(netns))) {
            throw new IllegalArgumentException("netns " + netns + " does not exist");
        }
    }
}
