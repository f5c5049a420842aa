package io.tabby.policy.render.nft;

import io.tabby.policy.ir.Action;
import io.tabby.policy.ir.AddressSet;
import io.tabby.policy.ir.Chain;
import io.tabby.policy.ir.Match;
import io.tabby.policy.ir.PortSet;
import io.tabby.policy.ir.Rule;
import io.tabby.policy.ir.Ruleset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link Ruleset} as one nft script: a single table that is ours ({@code inet tabby}
 * by default), re-created in one atomic transaction ({@code add table; delete table; table
 * {...}}: the add makes the delete safe on a first load). Deterministic: the same ruleset always
 * gives the same bytes.
 *
 * <pre>
 * forward (hook) ── ct established,related: accept ── iifname "cali*" → from-wl ── oifname "cali*" → to-wl
 * from-wl: iifname vmap @from-endpoint (goto fw.IFACE) ; drop unknown interface
 * fw.IFACE: clear mark; jump po.NS.POLICY; marked? return; ...; drop     (tw.IFACE alike)
 * </pre>
 */
public final class NftRenderer {
    private final String table;
    private final String interfacePrefix;
    private final int allowMark;

    /** {@code table} is e.g. {@code tabby}; {@code interfacePrefix} the endpoint veth prefix, {@code cali}. */
    public NftRenderer(String table, String interfacePrefix, int allowMark) {
        this.table = table;
        this.interfacePrefix = interfacePrefix;
        this.allowMark = allowMark;
    }

    public static NftRenderer defaults() {
        return new NftRenderer("tabby", "cali", 0x10000);
    }

    public String table() {
        return table;
    }

    /** The whole table as one transaction; feed to {@code nft -f -}. */
    public String render(Ruleset rs) {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("add table inet ").append(table).append('\n');
        sb.append("delete table inet ").append(table).append('\n');
        sb.append("table inet ").append(table).append(" {\n");
        for (AddressSet s : rs.addressSets()) {
            sb.append("  set ").append(s.name()).append(" {\n");
            sb.append(addressSetBody(s));
            sb.append("  }\n");
        }
        for (PortSet s : rs.portSets()) {
            sb.append("  set ").append(s.name()).append(" {\n");
            sb.append(portSetBody(s));
            sb.append("  }\n");
        }
        sb.append("  map from-endpoint {\n    type ifname : verdict\n").append(elementsLine(rs.fromEndpoint())).append("  }\n");
        sb.append("  map to-endpoint {\n    type ifname : verdict\n").append(elementsLine(rs.toEndpoint())).append("  }\n");
        sb.append("  chain forward {\n    type filter hook forward priority filter; policy accept;\n");
        sb.append("    ct state established,related accept\n");
        sb.append("    ct state invalid drop\n");
        sb.append("    iifname \"").append(interfacePrefix).append("*\" jump from-wl\n");
        sb.append("    oifname \"").append(interfacePrefix).append("*\" jump to-wl\n");
        sb.append("  }\n");
        sb.append("  chain from-wl {\n    iifname vmap @from-endpoint\n    drop comment \"unknown endpoint interface\"\n  }\n");
        sb.append("  chain to-wl {\n    oifname vmap @to-endpoint\n    drop comment \"unknown endpoint interface\"\n  }\n");
        for (Chain c : rs.chains()) {
            sb.append("  chain ").append(c.name()).append(" {\n");
            sb.append("    comment ").append(quote(c.comment())).append('\n');
            for (Rule r : c.rules()) {
                sb.append("    ").append(rule(r)).append('\n');
            }
            sb.append("  }\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    String addressSetBody(AddressSet s) {
        StringBuilder sb = new StringBuilder();
        sb.append(s.v6() ? "    type ipv6_addr\n" : "    type ipv4_addr\n");
        if (s.interval()) {
            sb.append("    flags interval\n");
        }
        sb.append("    comment ").append(quote(s.comment())).append('\n');
        if (!s.members().isEmpty()) {
            sb.append("    elements = { ").append(String.join(", ", s.members())).append(" }\n");
        }
        return sb.toString();
    }

    String portSetBody(PortSet s) {
        StringBuilder sb = new StringBuilder();
        sb.append("    type ipv4_addr . inet_service\n");
        sb.append("    comment ").append(quote(s.comment())).append('\n');
        if (!s.members().isEmpty()) {
            sb.append("    elements = { ").append(portMembers(s.members())).append(" }\n");
        }
        return sb.toString();
    }

    static String portMembers(List<PortSet.Member> members) {
        return members.stream().map(m -> m.ip() + " . " + m.port()).collect(Collectors.joining(", "));
    }

    String elementsLine(Map<String, String> dispatch) {
        if (dispatch.isEmpty()) {
            return "";
        }
        return "    elements = { " + verdictElements(dispatch) + " }\n";
    }

    static String verdictElements(Map<String, String> dispatch) {
        return dispatch.entrySet().stream()
                .map(e -> quote(e.getKey()) + " : goto " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** One rule in nft syntax. */
    String rule(Rule r) {
        StringBuilder sb = new StringBuilder();
        for (Match m : r.matches()) {
            sb.append(match(m)).append(' ');
        }
        sb.append(action(r.action()));
        sb.append(" comment ").append(quote(r.comment()));
        return sb.toString();
    }

    private String match(Match m) {
        return switch (m) {
            case Match.Proto p -> "meta l4proto " + p.protocol().lower();
            case Match.DstPorts p -> p.protocol().lower() + " dport " + (p.ranges().size() == 1 ? p.ranges().getFirst().toString()
                    : "{ " + p.ranges().stream().map(Match.PortRange::toString).collect(Collectors.joining(", ")) + " }");
            case Match.SrcInSet s -> (s.v6() ? "ip6" : "ip") + " saddr @" + s.set();
            case Match.DstInSet s -> (s.v6() ? "ip6" : "ip") + " daddr @" + s.set();
            case Match.DstAddrPortInSet s -> "meta l4proto " + s.protocol().lower() + " ip daddr . th dport @" + s.set();
            case Match.AllowMarked a -> "meta mark & " + hex(allowMark) + " == " + hex(allowMark);
        };
    }

    private String action(Action a) {
        return switch (a) {
            case Action.Accept x -> "accept";
            case Action.Drop x -> "drop";
            case Action.Return x -> "return";
            case Action.Jump j -> "jump " + j.chain();
            case Action.ClearAllowMark x -> "meta mark set meta mark & " + hex(~allowMark);
            case Action.AllowAndReturn x -> "meta mark set meta mark | " + hex(allowMark) + " return";
        };
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    static String quote(String s) {
        // nft comments are at most 128 bytes and may not contain double quotes.
        String clean = s.replace('"', '\'');
        if (clean.length() > 120) {
            clean = clean.substring(0, 117) + "...";
        }
        return "\"" + clean + "\"";
    }
}
