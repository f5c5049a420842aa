/**
 * {@code tabby policy explain} and {@code tabby policy matrix}: the explainer on ordinary
 * Kubernetes YAML files.
 *
 * <p>In: argv and the files ({@code io.tabby.policy.k8s.ManifestLoader}). Out: text or JSON on
 * stdout, every load problem on stderr naming file, object and field; exit 0 allowed, 1 denied,
 * 2 bad input. The semantics are {@code io.tabby.policy.eval}'s; this package only parses and
 * prints.
 */
package io.tabby.cli.policy;
