package io.tabby.cli.policy;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tabby policy ...}: NetworkPolicy tools that work on plain YAML files, no cluster needed. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Explain NetworkPolicy verdicts, print reachability matrices and rendered rules from Kubernetes YAML.",
        subcommands = {ExplainCommand.class, MatrixCommand.class, RenderCommand.class})
public final class PolicyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
