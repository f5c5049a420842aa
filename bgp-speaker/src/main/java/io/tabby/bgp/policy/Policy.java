package io.tabby.bgp.policy;

import io.tabby.bgp.policy.Term.Verdict;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.Path;
import io.tabby.bgp.wire.Prefix;
import java.util.List;
import java.util.Optional;

/**
 * An import or export filter: terms tried in order, the first that matches with ACCEPT or REJECT
 * decides, and {@code otherwise} decides when none does. A pure function from a route to the route
 * as changed, or nothing when it is rejected. An accepted route whose attributes did not change
 * comes back as the same {@link Path} object, so the common "accept all" costs nothing per route.
 */
public record Policy(String name, List<Term> terms, Verdict otherwise) {
    /** The one-line allow-all for labs and iBGP. */
    public static final Policy ACCEPT_ALL = new Policy("accept-all", List.of(), Verdict.ACCEPT);
    /** RFC 8212: what an eBGP session gets in each direction when no policy was configured. */
    public static final Policy RFC8212_DENY = new Policy("rfc8212-default-deny", List.of(), Verdict.REJECT);

    public Policy {
        terms = List.copyOf(terms);
        if (otherwise == Verdict.NEXT) {
            throw new IllegalArgumentException("policy " + name + ": the default must be ACCEPT or REJECT");
        }
    }

    public static Policy of(String name, Verdict otherwise, Term... terms) {
        return new Policy(name, List.of(terms), otherwise);
    }

    /**
     * True when no term looks at the prefix, so the outcome depends only on the path: the RIB
     * may then compute it once per attribute set instead of once per route.
     */
    public boolean prefixIndependent() {
        return terms.stream().flatMap(t -> t.matches().stream()).noneMatch(Policy::looksAtPrefix);
    }

    private static boolean looksAtPrefix(Match m) {
        return m instanceof Match.PrefixIn || m instanceof Match.Not n && looksAtPrefix(n.inner());
    }

    /** Runs the policy. The returned path carries the changed (not yet interned) attributes. */
    public Optional<Path> apply(Prefix prefix, Path path, PolicyContext ctx) {
        Path current = path;
        for (Term t : terms) {
            if (!t.matches(prefix, current)) {
                continue;
            }
            AttrSet a = current.attrs();
            for (Action act : t.actions()) {
                a = act.apply(a, ctx);
            }
            current = current.withAttrs(a);
            switch (t.verdict()) {
                case ACCEPT -> {
                    return Optional.of(current);
                }
                case REJECT -> {
                    return Optional.empty();
                }
                case NEXT -> { }
            }
        }
        return otherwise == Verdict.ACCEPT ? Optional.of(current) : Optional.empty();
    }
}
