/**
 * The {@code tabby} command line: one picocli root, {@link io.tabby.cli.Tabby}, whose subcommands
 * front every module ({@code tabby policy ...}, {@code tabby bgp ...}, {@code tabby cni ...},
 * {@code tabby ipam ...}).
 *
 * <p>In: argv. Out: human-readable text or JSON on stdout, diagnostics on stderr, and an exit
 * code each subcommand documents. Subcommands parse and wire; the work happens in the modules.
 */
package io.tabby.cli;
