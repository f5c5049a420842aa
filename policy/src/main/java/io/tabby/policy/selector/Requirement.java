package io.tabby.policy.selector;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One {@code matchExpressions} entry. Semantics follow apimachinery {@code labels/selector.go}
 * {@code Requirement.Matches}, not cyclonus: {@code NotIn} and {@code DoesNotExist} match objects
 * that do not carry the key at all.
 */
public record Requirement(String key, Operator operator, SortedSet<String> values) {

    /** The four operators a {@code LabelSelectorRequirement} may use. */
    public enum Operator {
        In, NotIn, Exists, DoesNotExist;

        /** Parses the API spelling, naming the allowed ones when it is wrong. */
        public static Operator parse(String s) {
            for (Operator o : values()) {
                if (o.name().equals(s)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown selector operator \"" + s
                    + "\" (expected In, NotIn, Exists or DoesNotExist)");
        }
    }

    // A qualified name with an optional DNS-subdomain prefix: validation.go IsQualifiedName.
    private static final Pattern NAME = Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    public Requirement {
        values = new TreeSet<>(values);
        checkKey(key);
        switch (operator) {
            case In, NotIn -> {
                if (values.isEmpty()) {
                    throw new IllegalArgumentException("operator " + operator + " on key \"" + key + "\" needs at least one value");
                }
            }
            case Exists, DoesNotExist -> {
                if (!values.isEmpty()) {
                    throw new IllegalArgumentException("operator " + operator + " on key \"" + key + "\" takes no values");
                }
            }
        }
        values.forEach(Requirement::checkValue);
        values = java.util.Collections.unmodifiableSortedSet(values);
    }

    public static Requirement of(String key, Operator op, String... values) {
        return new Requirement(key, op, new TreeSet<>(java.util.Arrays.asList(values)));
    }

    public boolean matches(Map<String, String> labels) {
        String v = labels.get(key);
        return switch (operator) {
            case In -> v != null && values.contains(v);
            case NotIn -> v == null || !values.contains(v);
            case Exists -> v != null;
            case DoesNotExist -> v == null;
        };
    }

    String canonical() {
        return switch (operator) {
            case In -> key + " in (" + String.join(",", values) + ")";
            case NotIn -> key + " notin (" + String.join(",", values) + ")";
            case Exists -> key;
            case DoesNotExist -> "!" + key;
        };
    }

    static void checkKey(String key) {
        if (key == null || !NAME.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid label key \"" + key + "\"");
        }
    }

    static void checkValue(String value) {
        if (value == null || !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid label value \"" + value + "\"");
        }
    }

    static void checkLabel(String key, String value) {
        checkKey(key);
        checkValue(value);
    }
}
