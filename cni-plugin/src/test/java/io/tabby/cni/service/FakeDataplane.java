package io.tabby.cni.service;

import io.tabby.cni.handler.Dataplane;
import io.tabby.cni.types.CniError;
import io.tabby.cni.types.IpNet;
import io.tabby.cni.types.Result;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers attachments by netns; a namespace "exists" while its path is in {@link #namespaces}. */
final class FakeDataplane implements Dataplane {
    final Set<String> namespaces = ConcurrentHashMap.newKeySet();
    final Map<String, Spec> attached = new ConcurrentHashMap<>();
    volatile RuntimeException failNextAdd;
    /** What {@link #status} throws, if anything (a test sets it to the kernel's answer it imitates). */
    volatile CniError statusError;
    /** The blocks the last {@link #blockRoutes} was given, and how many times it was called. */
    volatile Set<IpNet> blackholes = Set.of();
    final java.util.concurrent.atomic.AtomicInteger blockRouteSyncs = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Attachment add(Spec spec) {
        RuntimeException f = failNextAdd;
        if (f != null) {
            failNextAdd = null;
            throw f;
        }
        if (!namespaces.contains(spec.netns())) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "no such network namespace", spec.netns());
        }
        attached.put(spec.netns() + "/" + spec.ifname(), spec);
        return new Attachment(new Result.Interface(spec.hostIfname(), "ee:ee:ee:ee:ee:ee", 1500, null),
                new Result.Interface(spec.ifname(), "02:00:00:00:00:01", 1500, spec.netns()),
                List.of(Result.Route.to(IpNet.parse("0.0.0.0/0"), IpNet.parseAddress("169.254.1.1"))));
    }

    @Override
    public void del(String netns, String ifname) {
        attached.remove(netns + "/" + ifname);
    }

    @Override
    public void check(Spec spec) {
        Spec have = attached.get(spec.netns() + "/" + spec.ifname());
        if (have == null || !have.addresses().equals(spec.addresses())) {
            throw new CniError(CniError.CHECK_FAILED, "interface differs", spec.ifname());
        }
    }

    @Override
    public void status(boolean ipv6) {
        CniError e = statusError;
        if (e != null) {
            throw e;
        }
    }

    @Override
    public void blockRoutes(Set<IpNet> blocks) {
        blackholes = Set.copyOf(blocks);
        blockRouteSyncs.incrementAndGet();
    }
}
