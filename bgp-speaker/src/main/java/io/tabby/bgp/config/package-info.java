/**
 * Configuration records for the speaker, loaded from YAML or JSON with Jackson (the only place
 * Jackson is used). In: a file. Out: validated records the server turns into
 * {@link io.tabby.bgp.session.SessionConfig}s and originated routes. Errors name the field.
 */
package io.tabby.bgp.config;
