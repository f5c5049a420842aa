/**
 * The namespace test kit: real network namespaces, veths and Calico-style pods for integration
 * tests, built with iproute2 so that what is under test (our own netlink code) is never also the
 * thing that builds the test bed.
 *
 * <p>In: a test asks a {@link io.tabby.testkit.Lab} for namespaces, veth pairs, a fabric bridge,
 * nodes and pods, and runs commands or long-lived servers inside them. Out: the names and
 * addresses it made, command results, and a guarantee that all of it is gone when the lab closes,
 * whether the test passed or not.
 *
 * <p>Safety: nothing here ever touches the root network namespace. Every link is created inside a
 * namespace of ours ({@code ip -n NS link add ... peer ... netns OTHER}), every sysctl is written
 * through {@code ip netns exec}, and every namespace carries the prefix {@link
 * io.tabby.testkit.Lab#PREFIX} plus the creating JVM's pid, so a later run can sweep what a crashed
 * run left behind without touching anyone else's namespaces.
 *
 * <p>Tests that use it are annotated {@link io.tabby.testkit.NetnsTest}: tagged {@code netns} (run
 * by failsafe in the verify phase, always in CI) and failing loudly, never skipping, when the
 * process is not root or iproute2 is missing. The layout follows
 * {@code shared/reference/lab-environment.md} section 2.
 */
package io.tabby.testkit;
