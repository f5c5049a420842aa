package io.tabby.cni.ipam.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tabby.cni.types.CniError;
import java.util.Map;
import java.util.Optional;

/**
 * Pods as IPAM sees them: annotations asking for an address or pools, and existence for the leak
 * sweep. An unreachable API server is an error, never "the pod is gone" (that would free a live
 * pod's address).
 */
public final class KubernetesPods {
    private final KubernetesClient client;

    public KubernetesPods(KubernetesClient client) {
        this.client = client;
    }

    public Optional<Map<String, String>> annotations(String namespace, String pod) {
        try {
            Pod p = client.pods().inNamespace(namespace).withName(pod).get();
            if (p == null) {
                return Optional.empty();
            }
            Map<String, String> a = p.getMetadata().getAnnotations();
            return Optional.of(a == null ? Map.of() : Map.copyOf(a));
        } catch (KubernetesClientException e) {
            throw new CniError(CniError.TRY_AGAIN_LATER, "cannot read pod " + namespace + "/" + pod, e.getMessage());
        }
    }
}
