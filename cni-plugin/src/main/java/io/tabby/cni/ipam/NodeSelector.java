package io.tabby.cni.ipam;

import java.util.Map;

/**
 * The subset of Calico's selector language a pool's {@code nodeSelector} needs: {@code all()},
 * {@code has(key)}, {@code key == 'value'}, {@code key != 'value'}, joined with {@code &&}.
 * Anything else is rejected with the offending term, rather than silently matching.
 */
public final class NodeSelector {
    private NodeSelector() {}

    public static boolean matches(String selector, Map<String, String> labels) {
        String s = selector == null ? "" : selector.strip();
        if (s.isEmpty() || s.equals("all()")) {
            return true;
        }
        for (String term : s.split("&&")) {
            if (!term(term.strip(), labels)) {
                return false;
            }
        }
        return true;
    }

    private static boolean term(String t, Map<String, String> labels) {
        if (t.equals("all()")) {
            return true;
        }
        if (t.startsWith("has(") && t.endsWith(")")) {
            return labels.containsKey(t.substring(4, t.length() - 1).strip());
        }
        for (String op : new String[] {"==", "!="}) {
            int i = t.indexOf(op);
            if (i > 0) {
                String key = t.substring(0, i).strip();
                String value = unquote(t.substring(i + 2).strip(), t);
                boolean eq = value.equals(labels.get(key));
                return op.equals("==") == eq;
            }
        }
        throw new IllegalArgumentException("unsupported node selector term: " + t);
    }

    private static String unquote(String v, String term) {
        if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        throw new IllegalArgumentException("selector value must be quoted in: " + term);
    }
}
