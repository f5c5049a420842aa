/**
 * The executable the container runtime runs for every CNI call (SPEC.md "Section 2: Execution
 * Protocol"). It does no networking work itself: it forwards its environment's {@code CNI_*}
 * variables and stdin, unchanged, to the node's long-running CNI service over a Unix domain socket
 * ({@link io.tabby.cni.client.Wire}), prints the service's stdout and stderr and exits with its
 * code. A JVM that loads only {@code java.base} starts in tens of milliseconds from a class-data
 * archive; the service keeps Jackson, Fabric8 and netlink warm.
 *
 * <p>When the service cannot be reached it answers what it can by itself: VERSION (a constant),
 * STATUS with code 50 (not available), and every other command with code 11 (try again later), so
 * that the runtime retries instead of treating the pod as broken.
 *
 * <p>Depends on nothing beyond {@code java.base}: the build links it into a minimal runtime.
 * {@link io.tabby.cni.client.Training} is the build's AOT-cache training run (every call path in
 * one JVM); the runtime never runs it.
 */
package io.tabby.cni.client;
