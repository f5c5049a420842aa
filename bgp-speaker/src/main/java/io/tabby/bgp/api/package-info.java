/**
 * The looking glass as a local API: {@link io.tabby.bgp.api.ApiServer} serves the speaker's peers,
 * routes (every path, the best marked, the decision step that chose it) and Dropwizard metrics as
 * JSON over HTTP/1.1 on a Unix domain socket; {@link io.tabby.bgp.api.ApiClient} is what
 * {@code tabby bgp peers} and {@code tabby bgp routes} use to ask it.
 *
 * <p>In: HTTP GETs; answers from the speaker ({@link io.tabby.bgp.api.PeerStatus},
 * {@link io.tabby.bgp.routing.LookingGlass} records, a {@code MetricRegistry}). Out: JSON, and
 * human-readable tables for the CLI. RFC 9112 (HTTP/1.1 message syntax) over AF_UNIX.
 */
package io.tabby.bgp.api;
