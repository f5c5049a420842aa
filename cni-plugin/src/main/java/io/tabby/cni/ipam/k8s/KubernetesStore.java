package io.tabby.cni.ipam.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tabby.cni.ipam.Allocation;
import io.tabby.cni.ipam.Block;
import io.tabby.cni.ipam.ConflictException;
import io.tabby.cni.ipam.IpPool;
import io.tabby.cni.ipam.IpamConfig;
import io.tabby.cni.ipam.Store;
import io.tabby.cni.ipam.Versioned;
import io.tabby.cni.types.CniError;
import io.tabby.cni.types.IpNet;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link Store} over Tabby's custom resources. An {@code IPAMBlock}'s spec:
 * <pre>
 * cidr: 10.244.1.0/26
 * affinity: host:n1            # absent when released
 * allocations: {"0": {handle, node, namespace, pod, timestamp}, ...}
 * unallocated: [1, 2, ...]     # free ordinals in hand-out order
 * </pre>
 * The API server's unreachability becomes code 11 (try again later), so the runtime retries.
 *
 * <p>Two ways to read: straight from the API server (one-shot commands such as {@code tabby ipam})
 * or, for the long-running CNI service, from informers ({@link #cached}, see {@link CrdCache}).
 * Writes are the same either way: create, or update and delete carrying the resourceVersion read.
 */
public final class KubernetesStore implements Store, AutoCloseable {
    private final KubernetesClient client;
    /** Null: every read goes to the API server. */
    private final CrdCache cache;

    /** Reads straight from the API server. */
    public KubernetesStore(KubernetesClient client) {
        this(client, null);
    }

    private KubernetesStore(KubernetesClient client, CrdCache cache) {
        this.client = client;
        this.cache = cache;
    }

    /** Reads from informers started here (until they have synced, from the API server); close to stop them. */
    public static KubernetesStore cached(KubernetesClient client) {
        return new KubernetesStore(client, new CrdCache(client));
    }

    /** Whether reads are served from a synced cache (false for a direct store). */
    public boolean cacheSynced() {
        return cache != null && cache.synced();
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
    }

    @Override
    public List<IpPool> pools() {
        List<IpPool> out = new ArrayList<>();
        List<GenericKubernetesResource> items = cache == null ? null : cache.pools().orElse(null);
        if (items == null) {
            items = call(() -> client.genericKubernetesResources(Crds.POOLS).list().getItems());
        }
        for (GenericKubernetesResource r : items) {
            Map<String, Object> s = spec(r);
            IpNet cidr = IpNet.parse(str(s, "cidr", ""));
            out.add(new IpPool(r.getMetadata().getName(), cidr, num(s, "blockSize", IpPool.defaultBlockSize(cidr)),
                    str(s, "nodeSelector", "all()"), bool(s, "disabled"), bool(s, "natOutgoing")));
        }
        return out;
    }

    @Override
    public IpamConfig config() {
        Optional<Optional<GenericKubernetesResource>> cached = cache == null ? Optional.empty() : cache.config("default");
        GenericKubernetesResource r = cached.isPresent() ? cached.get().orElse(null)
                : call(() -> client.genericKubernetesResources(Crds.CONFIGS).withName("default").get());
        if (r == null) {
            return IpamConfig.DEFAULT;
        }
        Map<String, Object> s = spec(r);
        return new IpamConfig(bool(s, "strictAffinity"), num(s, "maxBlocksPerHost", 20));
    }

    @Override
    public List<Versioned<Block>> blocks() {
        List<Versioned<Block>> out = new ArrayList<>();
        List<GenericKubernetesResource> items = cache == null ? null : cache.blocks().orElse(null);
        if (items == null) {
            items = call(() -> client.genericKubernetesResources(Crds.BLOCKS).list().getItems());
        }
        for (GenericKubernetesResource r : items) {
            out.add(new Versioned<>(decode(r), r.getMetadata().getResourceVersion()));
        }
        return out;
    }

    @Override
    public Versioned<Block> create(Block block) {
        GenericKubernetesResource r = encode(block, null);
        GenericKubernetesResource made = write(block, () -> client.genericKubernetesResources(Crds.BLOCKS).resource(r).create());
        return new Versioned<>(block, made.getMetadata().getResourceVersion());
    }

    @Override
    public Versioned<Block> update(Versioned<Block> current, Block next) {
        GenericKubernetesResource r = encode(next, current.version());
        // update() sends our resourceVersion: the API server refuses it with 409 if stale.
        GenericKubernetesResource made = write(next, () -> client.genericKubernetesResources(Crds.BLOCKS).resource(r).update());
        return new Versioned<>(next, made.getMetadata().getResourceVersion());
    }

    @Override
    public void delete(Versioned<Block> current) {
        GenericKubernetesResource r = encode(current.value(), current.version());
        write(current.value(), () -> client.genericKubernetesResources(Crds.BLOCKS).resource(r)
                .lockResourceVersion(current.version()).delete());
    }

    private interface Call<T> {
        T run();
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.run();
        } catch (KubernetesClientException e) {
            throw new CniError(CniError.TRY_AGAIN_LATER, "Kubernetes API request failed", e.getCode() + " " + e.getMessage());
        }
    }

    /**
     * One CAS write. With a cache, what the API server now holds for the block goes into its
     * overlay: the written object, nothing after a delete, or after a 409/404 the block re-read.
     */
    private <T> T write(Block b, Call<T> c) {
        try {
            T t = c.run();
            if (t == null) {
                refresh(b);
                throw new ConflictException("block " + b.name() + " vanished");
            }
            if (cache != null) {
                cache.wrote(b.name(), t instanceof GenericKubernetesResource r ? r : null);
            }
            return t;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                refresh(b);
                throw new ConflictException("block " + b.name() + ": " + e.getCode() + " " + e.getStatus().getReason());
            }
            throw new CniError(CniError.TRY_AGAIN_LATER, "Kubernetes API write failed", e.getCode() + " " + e.getMessage());
        }
    }

    private void refresh(Block b) {
        if (cache != null) {
            cache.wrote(b.name(), call(() -> client.genericKubernetesResources(Crds.BLOCKS).withName(b.name()).get()));
        }
    }

    static GenericKubernetesResource encode(Block b, String resourceVersion) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("cidr", b.cidr().toString());
        if (b.affinity() != null) {
            spec.put("affinity", "host:" + b.affinity());
        }
        Map<String, Object> allocs = new TreeMap<>();
        b.allocations().forEach((ord, a) -> allocs.put(Integer.toString(ord), Map.of("handle", a.handle(), "node", a.node(),
                "namespace", a.namespace(), "pod", a.pod(), "timestamp", a.timestamp())));
        spec.put("allocations", allocs);
        spec.put("unallocated", b.unallocated());
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(Crds.GROUP + "/" + Crds.VERSION).withKind("IPAMBlock")
                .withNewMetadata().withName(b.name()).withResourceVersion(resourceVersion).endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
    }

    @SuppressWarnings("unchecked")
    static Block decode(GenericKubernetesResource r) {
        Map<String, Object> s = spec(r);
        String aff = str(s, "affinity", null);
        Map<Integer, Allocation> allocs = new TreeMap<>();
        Object raw = s.get("allocations");
        if (raw instanceof Map<?, ?> m) {
            for (var e : ((Map<String, Object>) m).entrySet()) {
                Map<String, Object> a = (Map<String, Object>) e.getValue();
                allocs.put(Integer.parseInt(e.getKey()), new Allocation(str(a, "handle", ""), str(a, "node", ""),
                        str(a, "namespace", ""), str(a, "pod", ""), ((Number) a.getOrDefault("timestamp", 0L)).longValue()));
            }
        }
        List<Integer> free = new ArrayList<>();
        if (s.get("unallocated") instanceof List<?> l) {
            l.forEach(x -> free.add(((Number) x).intValue()));
        }
        return new Block(IpNet.parse(str(s, "cidr", "")), aff == null ? null : aff.substring(aff.indexOf(':') + 1), allocs, free);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource r) {
        Object s = r.getAdditionalProperties().get("spec");
        if (!(s instanceof Map<?, ?>)) {
            throw new CniError(CniError.DATASTORE_FAILURE, "custom resource without spec", r.getKind() + "/" + r.getMetadata().getName());
        }
        return (Map<String, Object>) s;
    }

    private static String str(Map<String, Object> m, String k, String dflt) {
        Object v = m.get(k);
        return v == null ? dflt : v.toString();
    }

    private static int num(Map<String, Object> m, String k, int dflt) {
        Object v = m.get(k);
        return v instanceof Number n ? n.intValue() : dflt;
    }

    private static boolean bool(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof Boolean b ? b : v != null && Boolean.parseBoolean(v.toString());
    }

    /** Writes an {@code IPPool} (for installers, tests and {@code tabby ipam}). */
    public void putPool(IpPool p) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("cidr", p.cidr().toString());
        spec.put("blockSize", p.blockSize());
        spec.put("nodeSelector", p.nodeSelector());
        spec.put("disabled", p.disabled());
        spec.put("natOutgoing", p.natOutgoing());
        GenericKubernetesResource r = new GenericKubernetesResourceBuilder()
                .withApiVersion(Crds.GROUP + "/" + Crds.VERSION).withKind("IPPool")
                .withNewMetadata().withName(p.name()).endMetadata().addToAdditionalProperties("spec", spec).build();
        call(() -> client.genericKubernetesResources(Crds.POOLS).resource(r).createOr(x -> x.update()));
    }

    /** Writes the {@code IPAMConfig} singleton. */
    public void putConfig(IpamConfig c) {
        GenericKubernetesResource r = new GenericKubernetesResourceBuilder()
                .withApiVersion(Crds.GROUP + "/" + Crds.VERSION).withKind("IPAMConfig")
                .withNewMetadata().withName("default").endMetadata()
                .addToAdditionalProperties("spec", Map.of("strictAffinity", c.strictAffinity(), "maxBlocksPerHost", c.maxBlocksPerHost()))
                .build();
        call(() -> client.genericKubernetesResources(Crds.CONFIGS).resource(r).createOr(x -> x.update()));
    }
}
