/**
 * The routing core that ties the RIBs and policies together for a running speaker.
 *
 * <pre>
 *  session layer ──UPDATE──> {@link io.tabby.bgp.routing.Rib#receive} ──> import ──> Loc-RIB ──> Change ──> FIB listener
 *                <──UPDATEs── {@link io.tabby.bgp.routing.Rib#drain} <── Adj-RIB-Out <── export ──┘
 * </pre>
 *
 * <p>In: neighbour configuration ({@link io.tabby.bgp.routing.Neighbour}), session up/down,
 * decoded UPDATEs, originated routes. Out: UPDATE messages per neighbour (packed, with End-of-RIB),
 * best-path changes for the FIB, max-prefix decisions for the session layer, looking-glass records
 * ({@link io.tabby.bgp.routing.LookingGlass}) and Dropwizard metrics per neighbour.
 *
 * <p>Implements the RFC 4271 section 9 update process (9.1 decision, 9.2 dissemination) using
 * {@link io.tabby.bgp.rib} and {@link io.tabby.bgp.policy}; RFC 2918 refresh from the
 * Adj-RIB-Out; the RIB side of RFC 4724 (stale marking, sweeping, selection deferral). One
 * thread owns a {@link io.tabby.bgp.routing.Rib}: the session layer hops onto it.
 */
package io.tabby.bgp.routing;
