package io.tabby.cni.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link Result} in the shape a given cniVersion expects and reads any supported shape
 * back (a chained {@code prevResult}). The differences (SPEC.md, types/040 vs types/100):
 * <ul>
 *   <li>0.3.x and 0.4.0: each IP carries {@code "version": "4"|"6"};</li>
 *   <li>1.0.0 dropped {@code version};</li>
 *   <li>1.1.0 added interface {@code mtu}, and route {@code mtu, advmss, priority, table, scope}.</li>
 * </ul>
 */
public final class ResultCodec {
    private ResultCodec() {}

    public static String encode(Result r, String cniVersion) {
        return toJson(r, cniVersion).toString();
    }

    public static ObjectNode toJson(Result r, String cniVersion) {
        boolean v1 = CniVersion.atLeast(cniVersion, "1.0.0");
        boolean v11 = CniVersion.atLeast(cniVersion, "1.1.0");
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("cniVersion", cniVersion);
        if (!r.interfaces().isEmpty()) {
            ArrayNode ifs = out.putArray("interfaces");
            for (Result.Interface i : r.interfaces()) {
                ObjectNode n = ifs.addObject();
                n.put("name", i.name());
                if (i.mac() != null) {
                    n.put("mac", i.mac());
                }
                if (v11 && i.mtu() != null) {
                    n.put("mtu", i.mtu());
                }
                if (i.sandbox() != null && !i.sandbox().isEmpty()) {
                    n.put("sandbox", i.sandbox());
                }
            }
        }
        if (!r.ips().isEmpty()) {
            ArrayNode ips = out.putArray("ips");
            for (Result.IpConfig ip : r.ips()) {
                ObjectNode n = ips.addObject();
                if (!v1) {
                    n.put("version", ip.address().isV4() ? "4" : "6");
                }
                n.put("address", ip.address().toString());
                if (ip.gateway() != null) {
                    n.put("gateway", IpNet.format(ip.gateway()));
                }
                if (ip.interfaceIndex() != null) {
                    n.put("interface", ip.interfaceIndex());
                }
            }
        }
        if (!r.routes().isEmpty()) {
            ArrayNode routes = out.putArray("routes");
            for (Result.Route rt : r.routes()) {
                ObjectNode n = routes.addObject();
                n.put("dst", rt.dst().toString());
                if (rt.gw() != null) {
                    n.put("gw", IpNet.format(rt.gw()));
                }
                if (v11) {
                    putIf(n, "mtu", rt.mtu());
                    putIf(n, "advmss", rt.advmss());
                    putIf(n, "priority", rt.priority());
                    putIf(n, "table", rt.table());
                    putIf(n, "scope", rt.scope());
                }
            }
        }
        if (!r.dns().isEmpty()) {
            ObjectNode d = out.putObject("dns");
            r.dns().nameservers().forEach(d.withArray("nameservers")::add);
            if (r.dns().domain() != null) {
                d.put("domain", r.dns().domain());
            }
            if (!r.dns().search().isEmpty()) {
                r.dns().search().forEach(d.withArray("search")::add);
            }
            if (!r.dns().options().isEmpty()) {
                r.dns().options().forEach(d.withArray("options")::add);
            }
        }
        return out;
    }

    private static void putIf(ObjectNode n, String k, Integer v) {
        if (v != null) {
            n.put(k, v);
        }
    }

    /** Reads a result of any supported version (e.g. {@code prevResult}); bad input is code 7. */
    public static Result decode(JsonNode n) {
        try {
            List<Result.Interface> ifs = new ArrayList<>();
            for (JsonNode i : iter(n, "interfaces")) {
                ifs.add(new Result.Interface(i.path("name").asText(), textOrNull(i, "mac"),
                        intOrNull(i, "mtu"), textOrNull(i, "sandbox")));
            }
            List<Result.IpConfig> ips = new ArrayList<>();
            for (JsonNode i : iter(n, "ips")) {
                String gw = textOrNull(i, "gateway");
                ips.add(new Result.IpConfig(IpNet.parse(i.path("address").asText()),
                        gw == null ? null : IpNet.parseAddress(gw), intOrNull(i, "interface")));
            }
            List<Result.Route> routes = new ArrayList<>();
            for (JsonNode i : iter(n, "routes")) {
                String gw = textOrNull(i, "gw");
                routes.add(new Result.Route(IpNet.parse(i.path("dst").asText()), gw == null ? null : IpNet.parseAddress(gw),
                        intOrNull(i, "mtu"), intOrNull(i, "advmss"), intOrNull(i, "priority"),
                        intOrNull(i, "table"), intOrNull(i, "scope")));
            }
            Result.Dns dns = Result.Dns.EMPTY;
            JsonNode d = n.get("dns");
            if (d != null && d.isObject()) {
                dns = new Result.Dns(strings(d, "nameservers"), textOrNull(d, "domain"), strings(d, "search"), strings(d, "options"));
            }
            return new Result(ifs, ips, routes, dns);
        } catch (IllegalArgumentException e) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "invalid prevResult", e.getMessage());
        }
    }

    private static Iterable<JsonNode> iter(JsonNode n, String field) {
        JsonNode a = n.get(field);
        return a != null && a.isArray() ? a : List.of();
    }

    private static List<String> strings(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        iter(n, field).forEach(x -> out.add(x.asText()));
        return out;
    }

    private static String textOrNull(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer intOrNull(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asInt();
    }
}
