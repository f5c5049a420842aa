package io.tabby.policy.render.iptables;

import io.tabby.policy.ir.Action;
import io.tabby.policy.ir.AddressSet;
import io.tabby.policy.ir.Chain;
import io.tabby.policy.ir.Match;
import io.tabby.policy.ir.PortSet;
import io.tabby.policy.ir.Rule;
import io.tabby.policy.ir.Ruleset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders a {@link Ruleset} for iptables: {@code ipset restore} input and
 * {@code iptables-restore --noflush} input for the filter table. Everything is ours by name
 * ({@code tabby-} chains and sets) and every rule carries a {@code tabby:<hash>} comment, the
 * hash of the rule's text (as Felix's {@code cali:} hashes), so a sweep can tell our rules
 * from anyone else's. Chain names are hashed to fit iptables' 28 characters; the IR name
 * appears in the comment. Deterministic.
 *
 * <p>Apply order (the caller's job): {@link #ipsetUpdate} (sets must exist before rules name
 * them; the full {@link #ipsetRestore} at start), {@link #iptablesRestore}, {@link #hookRule}
 * once if absent, then {@link #ipsetCleanup} (stale sets can only go once no rule uses them).
 * Updates after the start-up resync pass the ruleset last applied as {@code before} and
 * rewrite only the chains and set members that changed.
 */
public final class IptablesRenderer {
    private final String interfacePrefix;
    private final int allowMark;

    public IptablesRenderer(String interfacePrefix, int allowMark) {
        this.interfacePrefix = interfacePrefix;
        this.allowMark = allowMark;
    }

    public static IptablesRenderer defaults() {
        return new IptablesRenderer("cali", 0x10000);
    }

    /** Arguments of the one rule in FORWARD that leads to us: check with -C, insert with -I. */
    public List<String> hookRule() {
        return List.of("FORWARD", "-m", "comment", "--comment", "tabby:hook", "-j", "tabby-FORWARD");
    }

    public static String setName(String irName) {
        return "tabby-" + irName;
    }

    /**
     * iptables chain for an IR chain: {@code tabby-tw-<iface>}, {@code tabby-fw-<iface>}, and
     * {@code tabby-pi-<hash>} / {@code tabby-po-<hash>} for policy chains.
     */
    public static String chainName(String irName) {
        String kind = irName.substring(0, 2);
        String rest = irName.substring(3);
        if (kind.equals("tw") || kind.equals("fw")) {
            return "tabby-" + kind + "-" + rest;
        }
        return "tabby-" + kind + "-" + hash(irName, 8);
    }

    /** Creates sets, fills a temporary copy and swaps it in, so a set never shows half its members. */
    public String ipsetRestore(Ruleset rs) {
        StringBuilder sb = new StringBuilder();
        for (AddressSet s : rs.addressSets()) {
            fill(sb, setName(s.name()), "hash:net", family(s.v6()), s.members());
        }
        for (PortSet s : rs.portSets()) {
            fill(sb, setName(s.name()), "hash:ip,port", family(false), portMembers(s));
        }
        return sb.toString();
    }

    private static String family(boolean v6) {
        return v6 ? "inet6" : "inet";
    }

    private static void fill(StringBuilder sb, String name, String type, String family, List<String> members) {
        String tmp = "tabby-tmp-" + name.substring("tabby-".length());
        sb.append("create ").append(name).append(' ').append(type).append(" family ").append(family).append(" -exist\n");
        sb.append("create ").append(tmp).append(' ').append(type).append(" family ").append(family).append(" -exist\n");
        sb.append("flush ").append(tmp).append('\n');
        for (String m : members) {
            sb.append("add ").append(tmp).append(' ').append(m).append('\n');
        }
        sb.append("swap ").append(tmp).append(' ').append(name).append('\n');
        sb.append("destroy ").append(tmp).append('\n');
    }

    /**
     * {@code ipset restore} input taking the sets from {@code before} (as last applied) to
     * {@code now}: new sets created and filled, members of kept sets added and deleted one by one
     * (so a set is never emptied and refilled under traffic), nothing for unchanged sets. Sets
     * that are gone are left for {@link #ipsetCleanup}, after the rules no longer name them.
     * With no {@code before}, the full {@link #ipsetRestore}.
     */
    public String ipsetUpdate(Ruleset now, Ruleset before) {
        if (before == null) {
            return ipsetRestore(now);
        }
        Map<String, List<String>> old = new HashMap<>();
        before.addressSets().forEach(s -> old.put(s.name(), s.members()));
        before.portSets().forEach(s -> old.put(s.name(), portMembers(s)));
        StringBuilder sb = new StringBuilder();
        for (AddressSet s : now.addressSets()) {
            members(sb, setName(s.name()), "hash:net", family(s.v6()), old.get(s.name()), s.members());
        }
        for (PortSet s : now.portSets()) {
            members(sb, setName(s.name()), "hash:ip,port", family(false), old.get(s.name()), portMembers(s));
        }
        return sb.toString();
    }

    private static void members(StringBuilder sb, String name, String type, String family, List<String> before, List<String> now) {
        if (before == null) {
            sb.append("create ").append(name).append(' ').append(type).append(" family ").append(family).append(" -exist\n");
            now.forEach(m -> sb.append("add ").append(name).append(' ').append(m).append(" -exist\n"));
            return;
        }
        Set<String> was = new HashSet<>(before);
        Set<String> is = new HashSet<>(now);
        now.stream().filter(m -> !was.contains(m)).forEach(m -> sb.append("add ").append(name).append(' ').append(m).append(" -exist\n"));
        before.stream().filter(m -> !is.contains(m)).forEach(m -> sb.append("del ").append(name).append(' ').append(m).append(" -exist\n"));
    }

    private static List<String> portMembers(PortSet s) {
        return s.members().stream().map(m -> m.ip() + "," + s.protocol().lower() + ":" + m.port()).toList();
    }

    /** {@code destroy} for sets {@code before} had and {@code now} does not. */
    public String ipsetCleanup(Ruleset now, Ruleset before) {
        Set<String> keep = new LinkedHashSet<>();
        now.addressSets().forEach(s -> keep.add(s.name()));
        now.portSets().forEach(s -> keep.add(s.name()));
        StringBuilder sb = new StringBuilder();
        if (before != null) {
            List<String> old = new ArrayList<>();
            before.addressSets().forEach(s -> old.add(s.name()));
            before.portSets().forEach(s -> old.add(s.name()));
            old.stream().filter(n -> !keep.contains(n)).forEach(n -> sb.append("destroy ").append(setName(n)).append('\n'));
        }
        return sb.toString();
    }

    /**
     * Input for {@code iptables-restore --noflush}. With no {@code before} (start-up resync) every
     * chain of ours is declared, which flushes it, and rewritten whole. With {@code before}, the
     * ruleset last applied, only what changed is written: chains that are new or whose rules
     * differ, a dispatch chain only when its interface map changed; chains {@code before} had and
     * {@code now} does not are flushed and deleted; {@code tabby-FORWARD} and unchanged chains are
     * not mentioned, so their rules and counters stay as they are. Empty when nothing changed.
     * Other tables and other people's chains are never touched; the restore commits all or
     * nothing.
     */
    public String iptablesRestore(Ruleset rs, Ruleset before) {
        return restore(rs, before, false);
    }

    /**
     * The same for {@code ip6tables-restore --noflush}: the same chains, holding the rules that
     * can match IPv6 packets (a rule naming an IPv4 set, or the IPv4 named-port sets, is left
     * out of the IPv6 table, and the other way round): IPv6 ipBlocks and rules without peers.
     */
    public String ip6tablesRestore(Ruleset rs, Ruleset before) {
        return restore(rs, before, true);
    }

    private String restore(Ruleset rs, Ruleset before, boolean v6) {
        Map<String, List<Rule>> old = new HashMap<>();
        if (before != null) {
            before.chains().forEach(c -> old.put(c.name(), c.rules()));
        }
        List<String> declare = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        if (before == null) {
            declare.add("tabby-FORWARD");
            rule(lines, "tabby-FORWARD", "-m conntrack --ctstate RELATED,ESTABLISHED", "-j ACCEPT", "replies of allowed connections");
            rule(lines, "tabby-FORWARD", "-m conntrack --ctstate INVALID", "-j DROP", "invalid");
            rule(lines, "tabby-FORWARD", "-i " + interfacePrefix + "+", "-j tabby-from-wl", "from endpoints");
            rule(lines, "tabby-FORWARD", "-o " + interfacePrefix + "+", "-j tabby-to-wl", "to endpoints");
        }
        if (before == null || !before.fromEndpoint().equals(rs.fromEndpoint())) {
            declare.add("tabby-from-wl");
            dispatch(lines, "tabby-from-wl", "-i", rs.fromEndpoint());
        }
        if (before == null || !before.toEndpoint().equals(rs.toEndpoint())) {
            declare.add("tabby-to-wl");
            dispatch(lines, "tabby-to-wl", "-o", rs.toEndpoint());
        }
        for (Chain c : rs.chains()) {
            if (before != null && c.rules().equals(old.get(c.name()))) {
                continue;
            }
            String name = chainName(c.name());
            declare.add(name);
            for (Rule r : c.rules()) {
                if (canMatch(r, v6)) {
                    render(lines, name, r);
                }
            }
        }
        List<String> stale = new ArrayList<>();
        if (before != null) {
            Set<String> keep = rs.chains().stream().map(Chain::name).collect(Collectors.toSet());
            before.chains().stream().map(Chain::name).filter(n -> !keep.contains(n)).map(IptablesRenderer::chainName).forEach(stale::add);
        }
        if (declare.isEmpty() && stale.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("*filter\n");
        declare.forEach(c -> sb.append(':').append(c).append(" - [0:0]\n"));
        lines.forEach(l -> sb.append(l).append('\n'));
        stale.forEach(c -> sb.append("-F ").append(c).append('\n'));
        stale.forEach(c -> sb.append("-X ").append(c).append('\n'));
        sb.append("COMMIT\n");
        return sb.toString();
    }

    private static void dispatch(List<String> lines, String chain, String flag, Map<String, String> map) {
        map.forEach((iface, target) -> rule(lines, chain, flag + " " + iface, "-g " + chainName(target), target));
        rule(lines, chain, "", "-j DROP", "unknown endpoint interface");
    }

    /** False when a rule names a set of the other family: no packet of this family can match it. */
    private static boolean canMatch(Rule r, boolean v6) {
        return r.matches().stream().allMatch(m -> switch (m) {
            case Match.SrcInSet s -> s.v6() == v6;
            case Match.DstInSet s -> s.v6() == v6;
            case Match.DstAddrPortInSet s -> !v6;
            case Match.Proto p -> true;
            case Match.DstPorts p -> true;
            case Match.AllowMarked a -> true;
        });
    }

    private void render(List<String> lines, String chain, Rule r) {
        String comment = r.comment();
        List<String> variants = matches(r.matches());
        for (String m : variants) {
            switch (r.action()) {
                case Action.Accept a -> rule(lines, chain, m, "-j ACCEPT", comment);
                case Action.Drop a -> rule(lines, chain, m, "-j DROP", comment);
                case Action.Return a -> rule(lines, chain, m, "-j RETURN", comment);
                case Action.Jump j -> rule(lines, chain, m, "-j " + chainName(j.chain()), comment);
                case Action.ClearAllowMark a -> rule(lines, chain, m, "-j MARK --set-xmark 0x0/" + hex(allowMark), comment);
                case Action.AllowAndReturn a -> {
                    rule(lines, chain, m, "-j MARK --set-xmark " + hex(allowMark) + "/" + hex(allowMark), comment);
                    rule(lines, chain, "-m mark --mark " + hex(allowMark) + "/" + hex(allowMark), "-j RETURN", comment);
                }
            }
        }
    }

    /**
     * The match text of an IR rule; more than one when a port list exceeds multiport's 15 slots
     * (a range takes two), in which case the rule is repeated per chunk: an OR, like the IR's.
     */
    private List<String> matches(List<Match> ms) {
        List<String> out = new ArrayList<>();
        out.add("");
        for (Match m : ms) {
            List<String> parts = switch (m) {
                case Match.Proto p -> List.of("-p " + p.protocol().lower());
                case Match.DstPorts p -> chunks(p.ranges()).stream()
                        .map(c -> "-p " + p.protocol().lower() + " -m multiport --dports " + c).toList();
                case Match.SrcInSet s -> List.of("-m set --match-set " + setName(s.set()) + " src");
                case Match.DstInSet s -> List.of("-m set --match-set " + setName(s.set()) + " dst");
                case Match.DstAddrPortInSet s -> List.of("-p " + s.protocol().lower() + " -m set --match-set " + setName(s.set()) + " dst,dst");
                case Match.AllowMarked a -> List.of("-m mark --mark " + hex(allowMark) + "/" + hex(allowMark));
            };
            List<String> next = new ArrayList<>();
            for (String prefix : out) {
                for (String part : parts) {
                    next.add(prefix.isEmpty() ? part : prefix + " " + part);
                }
            }
            out = next;
        }
        return out;
    }

    private static List<String> chunks(List<Match.PortRange> ranges) {
        List<String> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        int slots = 0;
        for (Match.PortRange r : ranges) {
            int need = r.from() == r.to() ? 1 : 2;
            if (slots + need > 15) {
                out.add(String.join(",", cur));
                cur.clear();
                slots = 0;
            }
            cur.add(r.from() == r.to() ? Integer.toString(r.from()) : r.from() + ":" + r.to());
            slots += need;
        }
        out.add(String.join(",", cur));
        return out;
    }

    /** Appends one rule with its ownership comment: {@code tabby:<hash of the rule> <why>}. */
    private static void rule(List<String> lines, String chain, String match, String target, String why) {
        String body = (match.isEmpty() ? "" : match + " ") + target;
        String comment = "tabby:" + hash(chain + " " + body, 8) + " " + why.replace('"', '\'');
        if (comment.length() > 250) {
            comment = comment.substring(0, 250);
        }
        lines.add("-A " + chain + " " + (match.isEmpty() ? "" : match + " ") + "-m comment --comment \"" + comment + "\" " + target);
    }

    private static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }

    static String hash(String s, int bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
