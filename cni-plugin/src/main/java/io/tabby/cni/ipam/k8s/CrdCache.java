package io.tabby.cni.ipam.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reads of {@link KubernetesStore} served from memory: one Fabric8 {@link SharedIndexInformer}
 * (list, then watch) per custom resource, so an allocation reads no pools, config or blocks from
 * the API server. Writes never go through here: they stay compare-and-swap on resourceVersion.
 *
 * <p>A cache lags the writes. Our own writes would otherwise be invisible to our next read until
 * the watch delivers them, and every next write would be a certain 409. So each block this node
 * writes is kept in an overlay (the object the API server returned, or a tombstone for a delete)
 * until the informer delivers that same resourceVersion; reads see the overlay over the informer.
 * After a 409 the store re-reads the one block from the API server into the overlay, so a
 * conflict costs one GET, never a stream of retries against a stale cache. Until the informers
 * have synced, reads return empty and the store reads the API server directly.
 */
final class CrdCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CrdCache.class);

    private final SharedIndexInformer<GenericKubernetesResource> pools;
    private final SharedIndexInformer<GenericKubernetesResource> configs;
    private final SharedIndexInformer<GenericKubernetesResource> blocks;
    /** Block name -> what we last wrote or re-read; {@link Optional#empty()} is a tombstone. */
    private final Map<String, Optional<GenericKubernetesResource>> overlay = new ConcurrentHashMap<>();

    CrdCache(KubernetesClient client) {
        pools = informer(client, Crds.POOLS, null);
        configs = informer(client, Crds.CONFIGS, null);
        blocks = informer(client, Crds.BLOCKS, new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource r) {
                caughtUp(r, true);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource r) {
                caughtUp(r, false);
            }

            @Override
            public void onDelete(GenericKubernetesResource r, boolean finalStateUnknown) {
                overlay.computeIfPresent(r.getMetadata().getName(), (k, v) -> v.isEmpty() ? null : v);
            }
        });
    }

    private static SharedIndexInformer<GenericKubernetesResource> informer(KubernetesClient client, ResourceDefinitionContext ctx,
                                                                         ResourceEventHandler<GenericKubernetesResource> handler) {
        SharedIndexInformer<GenericKubernetesResource> i = client.genericKubernetesResources(ctx).runnableInformer(0);
        if (handler != null) {
            i.addEventHandler(handler);
        }
        // Fabric8's default stops an informer on any error before its first sync and on most watch
        // errors after it; a node's cache must outlive API server restarts, so always retry (Fabric8
        // backs off). Reads fall back to the API server while it is not synced.
        i.exceptionHandler((started, t) -> {
            log.atWarn().addKeyValue("resource", ctx.getPlural()).addKeyValue("started", started)
                    .addKeyValue("error", t.getMessage()).log("informer error, retrying");
            return true;
        });
        // Not awaited: the service starts (and STATUS answers) while the API server is unreachable.
        i.start();
        return i;
    }

    /** The informer now holds {@code r}: an overlay entry of that version or older (or any tombstone, on add) is no longer needed. */
    private void caughtUp(GenericKubernetesResource r, boolean added) {
        String rv = r.getMetadata().getResourceVersion();
        overlay.computeIfPresent(r.getMetadata().getName(), (k, v) -> (v.isEmpty() && added)
                || (v.isPresent() && atLeast(rv, v.get().getMetadata().getResourceVersion())) ? null : v);
    }

    /**
     * Whether version {@code a} is {@code b} or later. resourceVersions are opaque by the API's
     * conventions, but etcd's (and the mock server's) are increasing integers; comparing them lets
     * the informer's newer data replace an overlay entry even when a relist skipped our version.
     * Anything else is compared for equality only (an entry then waits for its own version, or
     * for the 409 that refreshes it).
     */
    static boolean atLeast(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return Long.parseLong(a) >= Long.parseLong(b);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    boolean synced() {
        return pools.hasSynced() && configs.hasSynced() && blocks.hasSynced();
    }

    Optional<List<GenericKubernetesResource>> pools() {
        return synced() ? Optional.of(pools.getStore().list()) : Optional.empty();
    }

    Optional<Optional<GenericKubernetesResource>> config(String name) {
        return synced() ? Optional.of(Optional.ofNullable(configs.getStore().getByKey(name))) : Optional.empty();
    }

    /** The informer's blocks with the overlay applied, by name. */
    Optional<List<GenericKubernetesResource>> blocks() {
        if (!synced()) {
            return Optional.empty();
        }
        Map<String, GenericKubernetesResource> byName = new LinkedHashMap<>();
        for (GenericKubernetesResource r : blocks.getStore().list()) {
            byName.put(r.getMetadata().getName(), r);
        }
        overlay.forEach((name, v) -> v.ifPresentOrElse(r -> byName.put(name, r), () -> byName.remove(name)));
        return Optional.of(List.copyOf(byName.values()));
    }

    /** What the API server now holds for block {@code name}, from our write or a re-read; null if it has none. */
    void wrote(String name, GenericKubernetesResource current) {
        overlay.put(name, Optional.ofNullable(current));
    }

    @Override
    public void close() {
        pools.close();
        configs.close();
        blocks.close();
    }
}
