package io.tabby.policy.render.nft;

import io.tabby.policy.ir.AddressSet;
import io.tabby.policy.ir.Chain;
import io.tabby.policy.ir.PortSet;
import io.tabby.policy.ir.Rule;
import io.tabby.policy.ir.Ruleset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The incremental update: a pure diff of the ruleset the kernel has ({@code before}, as last
 * applied by us) against the one wanted ({@code now}), written as one nft transaction that
 * touches only what changed. Set members and verdict-map entries change element by element;
 * a chain whose rules changed is flushed and refilled; new objects are added before anything
 * refers to them and old ones deleted after nothing does. An empty string means no change.
 *
 * <p>Order inside the transaction: new sets (with elements), element changes of kept sets, new
 * chains declared, changed chains flushed, rules of new and changed chains added, verdict-map
 * entries removed then added, removed chains flushed then deleted, removed sets deleted.
 */
public final class NftDiff {
    private final NftRenderer r;

    public NftDiff(NftRenderer renderer) {
        this.r = renderer;
    }

    public String diff(Ruleset before, Ruleset now) {
        String t = "inet " + r.table();
        List<String> out = new ArrayList<>();
        List<String> late = new ArrayList<>();

        Map<String, AddressSet> oldA = byName(before.addressSets(), AddressSet::name);
        Map<String, AddressSet> newA = byName(now.addressSets(), AddressSet::name);
        for (AddressSet s : newA.values()) {
            AddressSet o = oldA.get(s.name());
            if (o == null) {
                out.add("add set " + t + " " + s.name() + " { " + oneLine(r.addressSetBody(s)) + " }");
            } else if (!o.members().equals(s.members())) {
                elements(out, t, s.name(), o.members(), s.members());
            }
        }
        Map<String, PortSet> oldP = byName(before.portSets(), PortSet::name);
        Map<String, PortSet> newP = byName(now.portSets(), PortSet::name);
        for (PortSet s : newP.values()) {
            PortSet o = oldP.get(s.name());
            if (o == null) {
                out.add("add set " + t + " " + s.name() + " { " + oneLine(r.portSetBody(s)) + " }");
            } else if (!o.members().equals(s.members())) {
                elements(out, t, s.name(),
                        o.members().stream().map(m -> m.ip() + " . " + m.port()).toList(),
                        s.members().stream().map(m -> m.ip() + " . " + m.port()).toList());
            }
        }

        Map<String, Chain> oldC = byName(before.chains(), Chain::name);
        Map<String, Chain> newC = byName(now.chains(), Chain::name);
        List<Chain> refill = new ArrayList<>();
        for (Chain c : newC.values()) {
            Chain o = oldC.get(c.name());
            if (o == null) {
                out.add("add chain " + t + " " + c.name() + " { comment " + NftRenderer.quote(c.comment()) + "; }");
                refill.add(c);
            } else if (!o.rules().equals(c.rules())) {
                out.add("flush chain " + t + " " + c.name());
                refill.add(c);
            }
        }
        for (Chain c : refill) {
            for (Rule rule : c.rules()) {
                out.add("add rule " + t + " " + c.name() + " " + r.rule(rule));
            }
        }

        dispatch(out, t, "from-endpoint", before.fromEndpoint(), now.fromEndpoint());
        dispatch(out, t, "to-endpoint", before.toEndpoint(), now.toEndpoint());

        for (String name : oldC.keySet()) {
            if (!newC.containsKey(name)) {
                out.add("flush chain " + t + " " + name);
                late.add("delete chain " + t + " " + name);
            }
        }
        out.addAll(late);
        for (String name : oldA.keySet()) {
            if (!newA.containsKey(name)) {
                out.add("delete set " + t + " " + name);
            }
        }
        for (String name : oldP.keySet()) {
            if (!newP.containsKey(name)) {
                out.add("delete set " + t + " " + name);
            }
        }
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }

    private static void elements(List<String> out, String t, String set, List<String> before, List<String> now) {
        TreeSet<String> gone = new TreeSet<>(before);
        gone.removeAll(now);
        TreeSet<String> added = new TreeSet<>(now);
        added.removeAll(before);
        if (!gone.isEmpty()) {
            out.add("delete element " + t + " " + set + " { " + String.join(", ", gone) + " }");
        }
        if (!added.isEmpty()) {
            out.add("add element " + t + " " + set + " { " + String.join(", ", added) + " }");
        }
    }

    private static void dispatch(List<String> out, String t, String map, SortedMap<String, String> before, SortedMap<String, String> now) {
        List<String> gone = before.entrySet().stream()
                .filter(e -> !Objects.equals(now.get(e.getKey()), e.getValue()))
                .map(e -> NftRenderer.quote(e.getKey())).toList();
        Map<String, String> added = new LinkedHashMap<>();
        now.forEach((k, v) -> {
            if (!Objects.equals(before.get(k), v)) {
                added.put(k, v);
            }
        });
        if (!gone.isEmpty()) {
            out.add("delete element " + t + " " + map + " { " + String.join(", ", gone) + " }");
        }
        if (!added.isEmpty()) {
            out.add("add element " + t + " " + map + " { " + NftRenderer.verdictElements(added) + " }");
        }
    }

    private static String oneLine(String body) {
        return body.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("; ")) + ";";
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        Map<String, T> m = new LinkedHashMap<>();
        items.forEach(i -> m.put(name.apply(i), i));
        return m;
    }
}
