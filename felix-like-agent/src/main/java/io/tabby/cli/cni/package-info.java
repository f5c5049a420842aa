/**
 * {@code tabby cni ...} and {@code tabby ipam ...}: the CNI service and the IPAM operator tools.
 * In: command-line options and a kubeconfig. Out: a running service, or text on stdout (tables
 * for people, one finding per line for scripts) and exit codes (0 fine, 1 problems found or
 * failure).
 */
package io.tabby.cli.cni;
