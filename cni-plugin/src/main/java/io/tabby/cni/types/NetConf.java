package io.tabby.cni.types;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugin's network configuration as it arrives on stdin (SPEC.md "Section 1: Network
 * configuration format", one entry of a conflist with {@code name} and {@code cniVersion} copied
 * in by the runtime). Keys beyond the spec's are Calico's where Calico has one ({@code mtu},
 * {@code nodename}, {@code ipam.assign_ipv4}, {@code ipam.ipv4_pools}...).
 *
 * @param mtu 0 means "detect from the host's default-route interface"
 * @param prevResult the previous plugin's result when chained, or null
 * @param validAttachments GC's {@code cni.dev/valid-attachments}; empty for other commands
 * @param raw the whole object, for chaining and for fields only one command needs
 */
public record NetConf(
        String cniVersion,
        String name,
        String type,
        int mtu,
        String nodename,
        boolean assignIpv4,
        boolean assignIpv6,
        List<String> ipv4Pools,
        List<String> ipv6Pools,
        Result prevResult,
        List<Attachment> validAttachments,
        boolean disableCheck,
        boolean disableGC,
        JsonNode raw) {

    /** One live attachment named by GC's input. */
    public record Attachment(String containerId, String ifname) {}

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");

    /**
     * Parses and validates stdin. Bad JSON is code 6, a version we do not speak code 1, anything
     * else wrong code 7; every message names the field.
     */
    public static NetConf parse(byte[] stdin) {
        JsonNode n = Json.parseObject(stdin, "network configuration");
        String version = Json.text(n, "cniVersion", null);
        if (version == null || version.isEmpty()) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "missing cniVersion in the network configuration",
                    "this plugin supports " + CniVersion.SUPPORTED);
        }
        if (!CniVersion.supported(version)) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "incompatible CNI versions",
                    "config is \"" + version + "\", plugin supports " + CniVersion.SUPPORTED);
        }
        String name = Json.text(n, "name", "");
        if (name.isEmpty()) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "missing network name", "field 'name' is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "invalid characters found in network name", name);
        }
        int mtu = Json.integer(n, "mtu", 0);
        if (mtu != 0 && (mtu < 68 || mtu > 65535)) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "field 'mtu' out of range 68..65535", Integer.toString(mtu));
        }
        JsonNode ipam = n.path("ipam");
        boolean v4 = ipam.isObject() ? Json.bool(ipam, "assign_ipv4", true) : true;
        boolean v6 = ipam.isObject() && Json.bool(ipam, "assign_ipv6", false);
        if (!v4 && !v6) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "ipam assigns no address family",
                    "set ipam.assign_ipv4 or ipam.assign_ipv6 to true");
        }
        Result prev = null;
        JsonNode pr = n.get("prevResult");
        if (pr != null && !pr.isNull()) {
            if (!pr.isObject()) {
                throw new CniError(CniError.INVALID_NETWORK_CONFIG, "field 'prevResult' must be an object", pr.toString());
            }
            prev = ResultCodec.decode(pr);
        }
        List<Attachment> valid = new ArrayList<>();
        JsonNode va = n.get("cni.dev/valid-attachments");
        if (va != null && va.isArray()) {
            for (JsonNode a : va) {
                valid.add(new Attachment(a.path("containerID").asText(), a.path("ifname").asText()));
            }
        }
        return new NetConf(version, name, Json.text(n, "type", ""), mtu, Json.text(n, "nodename", null), v4, v6,
                stringList(ipam, "ipv4_pools"), stringList(ipam, "ipv6_pools"), prev, List.copyOf(valid),
                Json.bool(n, "disableCheck", false), Json.bool(n, "disableGC", false), n);
    }

    private static List<String> stringList(JsonNode obj, String field) {
        JsonNode a = obj.get(field);
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "field 'ipam." + field + "' must be a list of strings", a.toString());
        }
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return List.copyOf(out);
    }
}
