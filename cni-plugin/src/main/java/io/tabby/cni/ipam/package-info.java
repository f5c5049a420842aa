/**
 * Block IPAM in Calico's manner (calico-behaviours.md section 2; libcalico-go {@code lib/ipam}).
 *
 * <p>Pure core: {@link io.tabby.cni.ipam.Allocator} decides, from a snapshot of pools and blocks,
 * what single write serves a request ({@link io.tabby.cni.ipam.Allocator.Plan}): reuse this handle's
 * address, take a free ordinal in one of the node's blocks, claim a new block for the node, or
 * borrow from another node's block when the pools have no unclaimed block left and strict affinity
 * is off. Imperative shell: {@link io.tabby.cni.ipam.Ipam} reads the snapshot from a
 * {@link io.tabby.cni.ipam.Store}, applies the plan as one compare-and-swap and retries on conflict.
 *
 * <p>Why one write per step: an {@code IPAMBlock} carries its own affinity and every allocation's
 * handle and pod, so claiming a block is one atomic create and allocating or releasing an address is
 * one atomic update. A process that dies between any two steps therefore leaves either nothing or a
 * complete allocation whose owner is known; {@link io.tabby.cni.ipam.Ipam#gc} (the CNI GC verb) and
 * {@link io.tabby.cni.ipam.Ipam#sweep} (pods that no longer exist, after a grace period) return such
 * addresses. Calico's separate {@code BlockAffinity} and {@code IPAMHandle} objects are indexes that
 * need extra two-phase writes; we derive both from the blocks instead.
 *
 * <p>In: pools, config, blocks, requests. Out: addresses ({@link io.tabby.cni.types.IpNet}) and
 * store writes.
 */
package io.tabby.cni.ipam;
