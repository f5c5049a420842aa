package io.tabby.bgp.config;

import io.tabby.bgp.policy.Action;
import io.tabby.bgp.policy.Match;
import io.tabby.bgp.policy.Policy;
import io.tabby.bgp.policy.PrefixRange;
import io.tabby.bgp.policy.Term;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.PathAttribute.LargeCommunities.Large;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A named import or export policy as written in the config, turned into the {@link Policy} model
 * by {@link #toPolicy}: terms in order, each with conditions that must all hold, changes, and
 * {@code then: accept | reject | next}; {@code otherwise} decides when no term does.
 *
 * <pre>
 * policies:
 *   from-tor:
 *     terms:
 *       - name: pods
 *         match: {prefix: ["10.244.0.0/16 ge 26 le 32"], community: ["65001:100"]}
 *         set: {localPref: 200, addCommunities: ["64512:1"]}
 *         then: accept
 *     otherwise: reject
 * </pre>
 */
public record PolicyConfig(List<TermConfig> terms, String otherwise) {
    public PolicyConfig {
        terms = terms == null ? List.of() : List.copyOf(terms);
    }

    /** One term: all of {@code match} must hold; then {@code set} is applied and {@code then} decides. */
    public record TermConfig(String name, MatchConfig match, SetConfig set, String then) {}

    /**
     * Conditions (all must hold): prefix ranges ("10.0.0.0/8 le 24", "10.0.0.0/8+"; any of them),
     * RFC 1997 / 8092 communities (every one listed must be carried), an AS path regular
     * expression over "65001 65002", the neighbouring, originating or any AS of the path.
     */
    public record MatchConfig(List<String> prefix, List<String> community, List<String> largeCommunity, String asPath,
                              Long neighbourAs, Long originAs, Long asPathContains) {}

    /** Changes: LOCAL_PREF, MED, communities added/removed/replaced, next hop ("self" or an address), prepend. */
    public record SetConfig(Long localPref, Long med, List<String> addCommunities, List<String> removeCommunities,
                            List<String> replaceCommunities, List<String> addLargeCommunities, String nextHop,
                            Integer prepend) {}

    /** The policy model; errors name the field as {@code where.terms[i].field}. */
    public Policy toPolicy(String name, String where) {
        List<Term> out = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            TermConfig t = terms.get(i);
            String at = where + ".terms[" + i + "]";
            out.add(new Term(t.name() == null ? "term" + i : t.name(), matches(t.match(), at + ".match"),
                    actions(t.set(), at + ".set"), verdict(t.then(), at + ".then", Term.Verdict.ACCEPT)));
        }
        Term.Verdict otherwiseVerdict = verdict(otherwise, where + ".otherwise", Term.Verdict.REJECT);
        if (otherwiseVerdict == Term.Verdict.NEXT) {
            throw new IllegalArgumentException(where + ".otherwise must be accept or reject, got next");
        }
        return new Policy(name, out, otherwiseVerdict);
    }

    private static Term.Verdict verdict(String s, String where, Term.Verdict dflt) {
        if (s == null) {
            return dflt;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "accept" -> Term.Verdict.ACCEPT;
            case "reject" -> Term.Verdict.REJECT;
            case "next" -> Term.Verdict.NEXT;
            default -> throw new IllegalArgumentException(where + " must be accept, reject or next, got " + s);
        };
    }

    private static List<Match> matches(MatchConfig m, String where) {
        List<Match> out = new ArrayList<>();
        if (m == null) {
            return out;
        }
        if (m.prefix() != null) {
            out.add(new Match.PrefixIn(field(where + ".prefix", () -> m.prefix().stream().map(PrefixRange::parse).toList())));
        }
        if (m.community() != null) {
            for (String c : m.community()) {
                out.add(new Match.Community(field(where + ".community", () -> Communities.parse(c))));
            }
        }
        if (m.largeCommunity() != null) {
            for (String c : m.largeCommunity()) {
                out.add(new Match.LargeCommunity(field(where + ".largeCommunity", () -> large(c))));
            }
        }
        if (m.asPath() != null) {
            try {
                out.add(new Match.AsPathRegex(Pattern.compile(m.asPath())));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(where + ".asPath is not a regular expression: " + e.getMessage(), e);
            }
        }
        if (m.neighbourAs() != null) {
            out.add(new Match.NeighbourAs(m.neighbourAs()));
        }
        if (m.originAs() != null) {
            out.add(new Match.OriginAs(m.originAs()));
        }
        if (m.asPathContains() != null) {
            out.add(new Match.AsPathContains(m.asPathContains()));
        }
        return out;
    }

    private static List<Action> actions(SetConfig s, String where) {
        List<Action> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        if (s.localPref() != null) {
            out.add(new Action.SetLocalPref(u32(s.localPref(), where + ".localPref")));
        }
        if (s.med() != null) {
            out.add(new Action.SetMed(u32(s.med(), where + ".med")));
        }
        communities(out, Action.Mode.ADD, s.addCommunities(), where + ".addCommunities");
        communities(out, Action.Mode.REMOVE, s.removeCommunities(), where + ".removeCommunities");
        communities(out, Action.Mode.REPLACE, s.replaceCommunities(), where + ".replaceCommunities");
        if (s.addLargeCommunities() != null) {
            out.add(new Action.SetLargeCommunities(Action.Mode.ADD, field(where + ".addLargeCommunities",
                    () -> s.addLargeCommunities().stream().map(PolicyConfig::large).toList())));
        }
        if (s.nextHop() != null) {
            out.add(s.nextHop().equals("self") ? Action.SetNextHop.SELF
                    : new Action.SetNextHop(field(where + ".nextHop", () -> Addresses.parse(s.nextHop()))));
        }
        if (s.prepend() != null) {
            out.add(field(where + ".prepend", () -> new Action.Prepend(0, s.prepend())));
        }
        return out;
    }

    private static void communities(List<Action> out, Action.Mode mode, List<String> values, String where) {
        if (values != null) {
            out.add(new Action.SetCommunities(mode, field(where, () -> values.stream().map(Communities::parse).toList())));
        }
    }

    private static long u32(long v, String where) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException(where + " must be 0..4294967295, got " + v);
        }
        return v;
    }

    /** "global:local1:local2", three 32-bit numbers (RFC 8092). */
    static Large large(String s) {
        String[] w = s.split(":");
        try {
            if (w.length != 3) {
                throw new IllegalArgumentException();
            }
            long[] v = new long[3];
            for (int i = 0; i < 3; i++) {
                v[i] = Long.parseLong(w[i]);
                if (v[i] < 0 || v[i] > 0xffffffffL) {
                    throw new IllegalArgumentException();
                }
            }
            return new Large(v[0], v[1], v[2]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("large community must be three 32-bit numbers a:b:c, got " + s, e);
        }
    }

    /** Runs {@code f}, prefixing any error with the field it came from. */
    static <T> T field(String where, java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}
