package io.tabby.bgp.policy;

import io.tabby.bgp.rib.Path;
import io.tabby.bgp.wire.Prefix;
import java.util.List;

/**
 * One rule of a {@link Policy}: when every {@link Match} holds, apply the actions and then accept,
 * reject, or go on to the next term with the changed route (like an FRR route-map entry with
 * {@code on-match next}, or a BIRD filter block without {@code accept}).
 */
public record Term(String name, List<Match> matches, List<Action> actions, Verdict verdict) {
    public enum Verdict { ACCEPT, REJECT, NEXT }

    public Term {
        matches = List.copyOf(matches);
        actions = List.copyOf(actions);
    }

    public static Term accept(String name, List<Match> matches, Action... actions) {
        return new Term(name, matches, List.of(actions), Verdict.ACCEPT);
    }

    public static Term reject(String name, Match... matches) {
        return new Term(name, List.of(matches), List.of(), Verdict.REJECT);
    }

    public boolean matches(Prefix prefix, Path path) {
        for (Match m : matches) {
            if (!m.test(prefix, path)) {
                return false;
            }
        }
        return true;
    }
}
