package io.tabby.policy.ir;

import java.util.List;

/** Matches (ANDed), an action, and a comment saying where the rule came from. */
public record Rule(List<Match> matches, Action action, String comment) {
    public Rule {
        matches = List.copyOf(matches);
    }
}
