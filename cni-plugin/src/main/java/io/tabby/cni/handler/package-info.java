/**
 * The dataplane work of one CNI attachment (calico-behaviours.md 1.2, {@code dataplane_linux.go}):
 * {@link io.tabby.cni.handler.NetlinkDataplane} builds, checks and removes the cali veth pair, its
 * addresses, sysctls and routes through the {@code netlink} module, against a node namespace it is
 * given (never assumed to be the caller's). {@link io.tabby.cni.handler.VethNames} derives
 * Calico's host-side names. Node-wide: a blackhole route (protocol 98) per IPAM block the node
 * holds, kept equal to IPAM's list (desired vs actual), and the kernel half of CNI STATUS (SPEC.md
 * 1.1 "STATUS": 50 when netlink on the node fails, 51 when forwarding is off).
 *
 * <p>In: a {@link io.tabby.cni.handler.Dataplane.Spec} (netns path, interface names, addresses,
 * MTU). Out: the interfaces and routes for the CNI result, or a
 * {@link io.tabby.cni.types.CniError} naming the first thing the kernel refused or that differs.
 */
package io.tabby.cni.handler;
