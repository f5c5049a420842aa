/**
 * The long-running CNI service (run as {@code tabby cni serve}, later inside the node agent).
 * {@link io.tabby.cni.service.CniServer} accepts the thin client's calls on a Unix socket
 * ({@link io.tabby.cni.client.Wire} framing) and hands each to the {@link io.tabby.cni.skel.Skel};
 * {@link io.tabby.cni.service.TabbyPlugin} implements the commands over
 * {@link io.tabby.cni.ipam.Ipam} and a {@link io.tabby.cni.handler.Dataplane}.
 *
 * <p>In: CNI calls (environment + stdin). Out: result/error JSON and exit codes; IPAM writes; kernel
 * changes through the dataplane. Order of work (SPEC.md ADD/DEL; calico-behaviours.md 1.3, 1.4): ADD
 * allocates, then wires the pod, releasing the allocation if wiring fails; DEL unwires, then
 * releases; both are idempotent. STATUS asks the dataplane (50/51) and then plans, without writing,
 * an address for a new pod on this node (50 if none). The node's blackhole routes follow its blocks:
 * synced at start, when an ADD takes an address from a block not yet blackholed, and after GC, which
 * also gives the node's empty blocks back.
 */
package io.tabby.cni.service;
