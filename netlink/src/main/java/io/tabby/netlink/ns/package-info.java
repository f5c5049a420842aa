/**
 * Network namespaces the way {@code ip netns} and the CNI {@code pkg/ns} library handle them.
 *
 * <p>In: a namespace name ({@code /run/netns/NAME}) or path ({@code /proc/PID/ns/net}, a
 * CNI_NETNS path). Out: an open {@link io.tabby.netlink.ns.NetNs} holding a descriptor on the
 * namespace and one dedicated platform thread inside it; work given to
 * {@link io.tabby.netlink.ns.NetNs#call} runs there.
 *
 * <pre>
 *   caller thread ──call(work)──▶ queue ──▶ [netns-NAME thread: setns()/unshare() once at start]
 *                ◀──── result ─────────────           runs work inside the namespace
 * </pre>
 *
 * <p>Why a thread per namespace: {@code setns(2)} changes the calling thread only. Doing it on a
 * pooled or virtual thread would leave that carrier in the wrong namespace for whoever uses it
 * next, so no shared thread ever calls it. What must run inside (creating a NETLINK_ROUTE socket,
 * reading {@code /proc/sys/net}) runs on the namespace's own thread; a socket made there keeps
 * working on the namespace from any thread.
 *
 * <p>{@link io.tabby.netlink.ns.NetNs#create} follows iproute2's {@code netns_add}
 * ({@code ip/ipnetns.c}): make {@code /run/netns} a shared mount point, create the empty file,
 * {@code unshare(CLONE_NEWNET)} on the new thread and bind-mount its
 * {@code /proc/self/task/TID/ns/net} on the file. {@link io.tabby.netlink.ns.NetNs#delete}
 * unmounts (MNT_DETACH) and removes the file. See namespaces(7), setns(2), unshare(2),
 * mount(2) and mount_namespaces(7) (shared subtrees).
 */
package io.tabby.netlink.ns;
