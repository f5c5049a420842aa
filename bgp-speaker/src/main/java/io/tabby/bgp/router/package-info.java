/**
 * Glue between part 1's sessions and part 2's routing core: {@link io.tabby.bgp.router.RibRouter}
 * implements the session layer's {@link io.tabby.bgp.session.SessionListener} and runs the
 * {@link io.tabby.bgp.routing.Rib} (and the FIB exporter) on one event loop of its own.
 *
 * <p>In: session up/down, UPDATEs and ROUTE-REFRESH requests from every peer's event loop. Out:
 * UPDATEs through {@code PeerSession.send}, kernel routes through {@link io.tabby.bgp.fib}, looking-glass
 * values as futures. RFC 4271 section 9 (the update process) end to end; RFC 4486 max-prefix action;
 * RFC 4724 graceful restart end to end (helper and restarting speaker through {@link
 * io.tabby.bgp.gr.GrDriver}, restart detected from our route protocol's routes still in the kernel).
 *
 * <p>A RIB task that throws an exception is logged and the loop goes on; one that throws an
 * {@link java.lang.Error} (out of memory) may have left half an UPDATE in the RIB, and goes to the
 * owner's {@code onFatalError}, which for {@code tabby bgp run} ends the process.
 */
package io.tabby.bgp.router;
