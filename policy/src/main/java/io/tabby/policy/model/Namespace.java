package io.tabby.policy.model;

import java.util.HashMap;
import java.util.Map;

/**
 * A namespace and its labels. The API server sets the immutable
 * {@code kubernetes.io/metadata.name} label on every namespace; we add it here too so that
 * selectors naming a namespace by that label work on hand-written input.
 */
public record Namespace(String name, Map<String, String> labels) {
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    public Namespace {
        Names.checkDnsLabel("namespace name", name);
        Map<String, String> l = new HashMap<>(labels);
        l.put(NAME_LABEL, name);
        labels = Map.copyOf(l);
    }
}
