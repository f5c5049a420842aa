/**
 * The kernel FIB: best paths out to the kernel, selected kernel routes in to BGP.
 *
 * <pre>
 *  Rib ──Change──> FibExporter (desired, dirty) ──apply()──> KernelRoutes ──> netlink (our rtm_protocol)
 *  kernel ──KernelRoutes.list──> Redistributor.select(filter) ──> Rib.originate / withdrawOriginated
 *  kernel ──route dump + events──> NextHopTable (longest match, not ours, not default) ──> BestPath next-hop cost
 * </pre>
 *
 * <p>In: Loc-RIB {@link io.tabby.bgp.rib.Change}s (best path and ECMP set), the kernel's routes.
 * Out: kernel route replace/delete calls, marked with our route protocol; originated routes;
 * next-hop reachability and IGP cost for the decision process (RFC 4271 9.1.2).
 * Desired vs actual after Calico Felix's route manager: handlers record, one {@code apply()} diffs,
 * the first apply is a full resync that sweeps our stale routes (BIRD's {@code krt} scan does the
 * same, {@code sysdep/unix/krt.c}), and only routes of our protocol are ever removed.
 * {@link io.tabby.bgp.fib.KernelRoutes} is the seam: netlink in production, a fake in tests.
 */
package io.tabby.bgp.fib;
