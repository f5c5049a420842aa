package io.tabby.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root of the {@code tabby} command. Each subcommand is its own class registered in
 * {@code subcommands} below; adding one is a one-line change here.
 */
@Command(
        name = "tabby",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Tabby: pod networking, BGP routing and NetworkPolicy for Kubernetes.",
        subcommands = {
            CommandLine.HelpCommand.class,
            VersionCommand.class,
            BgpCommand.class,
        })
public final class Tabby implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // No subcommand: show what there is rather than doing something surprising.
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Tabby()).execute(args));
    }
}
