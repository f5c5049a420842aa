/**
 * The plugin's front door (containernetworking/cni {@code pkg/skel}, SPEC.md "Section 2: Execution
 * Protocol"): turns one invocation's environment ({@code CNI_COMMAND}, {@code CNI_CONTAINERID},
 * {@code CNI_NETNS}, {@code CNI_IFNAME}, {@code CNI_ARGS}, {@code CNI_PATH}) and stdin into a
 * validated {@link io.tabby.cni.skel.Request}, refuses what the spec says to refuse (missing
 * variables: code 4; bad JSON: 6; bad config: 7; a version we do not speak, or CHECK before 0.4.0
 * and STATUS/GC before 1.1.0: 1), dispatches ADD/DEL/CHECK/STATUS/GC/VERSION to a
 * {@link io.tabby.cni.skel.CniPlugin}, and turns its answer or its {@link io.tabby.cni.types.CniError}
 * into stdout text and an exit code.
 *
 * <p>In: a {@code Map} environment and stdin bytes (injected, so tests need no process). Out: an
 * {@link io.tabby.cni.skel.Outcome}. No I/O here.
 */
package io.tabby.cni.skel;
