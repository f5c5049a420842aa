package io.tabby.policy.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Kubernetes {@code LabelSelector}: {@code matchLabels} and {@code matchExpressions}, all
 * ANDed. The empty selector matches everything. Immutable; {@link #canonical()} is a stable
 * text form used to name the address sets derived from a selector, so two policies that write
 * the same selector share one set.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
    /** Matches every object. */
    public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

    public LabelSelector {
        matchLabels = Map.copyOf(matchLabels);
        matchExpressions = List.copyOf(matchExpressions);
        matchLabels.forEach(Requirement::checkLabel);
    }

    public static LabelSelector ofLabels(Map<String, String> labels) {
        return new LabelSelector(labels, List.of());
    }

    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /** apimachinery {@code labels.Selector.Matches}: every label and every requirement must hold. */
    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : matchExpressions) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Order-independent text form, e.g. {@code app=db,tier in (a,b),!legacy}; "" matches all. */
    public String canonical() {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(matchLabels).forEach((k, v) -> parts.add(k + "=" + v));
        matchExpressions.stream().map(Requirement::canonical).sorted().forEach(parts::add);
        return String.join(",", parts);
    }

    @Override
    public String toString() {
        return isEmpty() ? "{}" : "{" + canonical() + "}";
    }
}
