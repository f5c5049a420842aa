package io.tabby.cni.service;

import java.util.Map;
import java.util.Optional;

/**
 * What the plugin needs to know about pods: their annotations (a specific address or pool) and
 * whether they still exist (the leak sweep). The Kubernetes API in production; a map in tests.
 */
public interface PodDirectory {
    /** The pod's annotations, or empty if there is no such pod. */
    Optional<Map<String, String>> annotations(String namespace, String pod);

    /** No pods known: every annotation lookup is empty. For runtimes without Kubernetes. */
    PodDirectory NONE = (ns, pod) -> Optional.empty();
}
