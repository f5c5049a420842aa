package io.tabby.policy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A JSON value together with the path that led to it inside one object, so that every error can
 * name its field ({@code spec.ingress[0].ports[1].endPort}). Absent values are represented by
 * a missing node, so callers ask {@link #present()} instead of juggling nulls.
 */
record Field(String kind, String object, String path, JsonNode node) {

    InvalidObjectException error(String message) {
        return new InvalidObjectException(kind, object, path, message);
    }

    boolean present() {
        return node != null && !node.isMissingNode() && !node.isNull();
    }

    Field get(String name) {
        JsonNode child = present() ? node.get(name) : null;
        return new Field(kind, object, path.isEmpty() ? name : path + "." + name, child);
    }

    /** Fails on any field not in {@code allowed}: a typo must not silently widen a policy. */
    Field only(Set<String> allowed) {
        if (!present()) {
            return this;
        }
        if (!node.isObject()) {
            throw error("expected an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw get(f).error("unknown field (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return this;
    }

    String text() {
        if (!present()) {
            return null;
        }
        if (!node.isTextual()) {
            throw error("expected a string, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return node.asText();
    }

    String text(String dflt) {
        String t = text();
        return t == null ? dflt : t;
    }

    String requiredText() {
        String t = text();
        if (t == null || t.isEmpty()) {
            throw error("required");
        }
        return t;
    }

    int integer(int dflt) {
        if (!present()) {
            return dflt;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw error("expected an integer");
        }
        return node.asInt();
    }

    boolean bool() {
        return present() && node.asBoolean();
    }

    List<Field> list() {
        if (!present()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error("expected a list");
        }
        List<Field> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new Field(kind, object, path + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    <T> List<T> list(Function<Field, T> each) {
        return list().stream().map(each).toList();
    }

    Map<String, String> stringMap() {
        Map<String, String> out = new LinkedHashMap<>();
        if (!present()) {
            return out;
        }
        if (!node.isObject()) {
            throw error("expected a map of strings");
        }
        node.properties().forEach(e -> {
            Field f = get(e.getKey());
            out.put(e.getKey(), f.node.asText());
        });
        return out;
    }

    /** Runs {@code parse}, re-throwing a model validation error as one naming this field. */
    <T> T check(Function<Field, T> parse) {
        try {
            return parse.apply(this);
        } catch (InvalidObjectException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }
}
