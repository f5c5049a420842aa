package io.tabby.cli.policy;

import io.tabby.policy.compile.Compiler;
import io.tabby.policy.ir.Ruleset;
import io.tabby.policy.k8s.ManifestLoader;
import io.tabby.policy.render.iptables.IptablesRenderer;
import io.tabby.policy.render.nft.NftRenderer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tabby policy render --node NODE [--backend nft|iptables] -f FILES...}: the rules one node
 * would load for its pods, exactly as the agent renders them. Prints only; applies nothing.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Print the nft script (or ipset + iptables-restore input) a node would load. Applies nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:printed, but some policies failed to compile (listed on stderr)", "2:bad input"})
final class RenderCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Inputs inputs;

    @Option(names = "--node", defaultValue = ManifestLoader.DEFAULT_NODE, paramLabel = "NODE",
            description = "Render for the pods on this node (default ${DEFAULT-VALUE}).")
    String node;

    @Option(names = "--backend", defaultValue = "nft", paramLabel = "nft|iptables", description = "Default ${DEFAULT-VALUE}.")
    String backend;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!backend.equals("nft") && !backend.equals("iptables")) {
            err.println("error: --backend must be nft or iptables, not " + backend);
            return Inputs.BAD_INPUT;
        }
        Inputs.Loaded in = inputs.load("80/TCP", err);
        if (in == null) {
            return Inputs.BAD_INPUT;
        }
        Ruleset rs = Compiler.compile(in.result().cluster(), node);
        if (backend.equals("nft")) {
            out.print(NftRenderer.defaults().render(rs));
        } else {
            IptablesRenderer ipt = IptablesRenderer.defaults();
            out.println("# ipset restore");
            out.print(ipt.ipsetRestore(rs));
            out.println("# iptables-restore --noflush");
            out.print(ipt.iptablesRestore(rs, null));
            out.println("# ip6tables-restore --noflush");
            out.print(ipt.ip6tablesRestore(rs, null));
            out.println("# then, once each: iptables -I / ip6tables -I " + String.join(" ", ipt.hookRule()));
        }
        out.flush();
        rs.errors().forEach(e -> err.println("error: " + e));
        return rs.errors().isEmpty() ? 0 : 1;
    }
}
