/**
 * The dataplane work of one CNI attachment (calico-behaviours.md 1.2, {@code dataplane_linux.go}):
 * {@link io.tabby.cni.handler.NetlinkDataplane} builds, checks and removes the cali veth pair, its
 * addresses, sysctls and routes through the {@code netlink} module, against a node namespace it is
 * given (never assumed to be the caller's). {@link io.tabby.cni.handler.VethNames} derives
 * Calico's host-side names.
 *
 * <p>In: a {@link io.tabby.cni.handler.Dataplane.Spec} (netns path, interface names, addresses,
 * MTU). Out: the interfaces and routes for the CNI result, or a
 * {@link io.tabby.cni.types.CniError} naming the first thing the kernel refused or that differs.
 */
package io.tabby.cni.handler;
