/**
 * Graceful restart, RFC 4724: both roles as pure state machines plus one small driver.
 *
 * <pre>
 *  session events ──> GrHelper (receiving speaker, section 4.2) ──> KeepStale / Sweep / Flush / Schedule ──┐
 *                 └─> GrRestarting (restarting speaker, 4.1)    ──> released families ──────────────────┤
 *                                                                                      GrDriver ─> Rib, Scheduler, FIB
 * </pre>
 *
 * <p>In: session up/down with the peer's GR capability, End-of-RIB markers, timer firings. Out:
 * paths marked stale and later swept, best-path advertisement and FIB sync deferred after our own
 * restart. Time is never read: timers are actions carrying a generation number, scheduled by a
 * {@link io.tabby.bgp.gr.Scheduler} (an event loop in production, virtual time in tests).
 * Long-lived GR (RFC 9494) is not implemented.
 */
package io.tabby.bgp.gr;
