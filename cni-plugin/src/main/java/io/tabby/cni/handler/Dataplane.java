package io.tabby.cni.handler;

import io.tabby.cni.types.IpNet;
import io.tabby.cni.types.Result;
import java.util.List;
import java.util.Set;

/**
 * The kernel side of one attachment. {@link NetlinkDataplane} does it for real; tests of the
 * service substitute a fake. Every method is idempotent and safe to call for a container that has
 * been half set up or half torn down.
 */
public interface Dataplane {
    /** What ADD asks for: the pod's addresses on {@code ifname} in {@code netns}, {@code hostIfname} on the node. */
    record Spec(String containerId, String netns, String ifname, String hostIfname, List<IpNet> addresses, int mtu) {
        public Spec {
            addresses = List.copyOf(addresses);
        }
    }

    /** What ADD built: the host and pod interfaces (for the result) and the pod's routes. */
    record Attachment(Result.Interface host, Result.Interface pod, List<Result.Route> podRoutes) {}

    /** Builds (or rebuilds, replacing a stale host veth of the same pod) the attachment. */
    Attachment add(Spec spec);

    /** Removes {@code ifname} from {@code netns}; a missing namespace or link is success. */
    void del(String netns, String ifname);

    /** Throws {@link io.tabby.cni.types.CniError} naming the first difference from {@code spec}. */
    void check(Spec spec);

    /**
     * The node's side of CNI STATUS (SPEC.md 1.1 "STATUS"): returns if pods can be wired and reach
     * beyond the node; otherwise throws {@link io.tabby.cni.types.CniError} with code 50 (no ADD
     * can succeed, e.g. the kernel cannot be programmed) or 51 (existing pods may have limited
     * connectivity too, e.g. forwarding is off). {@code ipv6}: the network assigns IPv6 addresses.
     */
    void status(boolean ipv6);

    /**
     * Makes the node's blackhole routes of our protocol exactly {@code blocks}, the IPAM blocks
     * this node holds (Calico does the same): the block can then be advertised as a whole, and
     * traffic to its unallocated addresses is dropped here instead of following the default route
     * out again. Pods' /32 routes are more specific, so they still win.
     */
    void blockRoutes(Set<IpNet> blocks);
}
