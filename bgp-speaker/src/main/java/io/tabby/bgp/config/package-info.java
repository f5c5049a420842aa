/**
 * Configuration records for the speaker, loaded from YAML or JSON with Jackson. In: a file. Out:
 * validated records the server turns into {@link io.tabby.bgp.session.SessionConfig}s,
 * {@link io.tabby.bgp.routing.Neighbour}s (policies in the {@link io.tabby.bgp.policy} model with
 * the RFC 8212 default, RR client, next hop, max-prefix, Adj-RIB-In retention), decision options,
 * FIB and redistribution settings, and originated routes. Errors name the field
 * ({@code peer 10.0.0.2.maxPrefix.action}, {@code policies.in.terms[0].match.prefix}).
 * The {@code gracefulRestart} block (RFC 4724 timers) is {@link io.tabby.bgp.config.GracefulRestartConfig}.
 */
package io.tabby.bgp.config;
