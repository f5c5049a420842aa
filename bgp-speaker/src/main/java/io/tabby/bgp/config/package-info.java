/**
 * Configuration records for the speaker, loaded from YAML or JSON with Jackson (the only place
 * Jackson is used). In: a file. Out: validated records the server turns into
 * {@link io.tabby.bgp.session.SessionConfig}s and originated routes. Errors name the field.
 * The {@code gracefulRestart} block (RFC 4724 timers) is {@link io.tabby.bgp.config.GracefulRestartConfig}.
 */
package io.tabby.bgp.config;
