package io.tabby.cli.policy;

import io.tabby.policy.eval.Evaluator;
import io.tabby.policy.eval.Matrix;
import io.tabby.policy.k8s.ManifestLoader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tabby policy matrix [--port 80/TCP] -f FILES...}: who may reach whom on one port, for
 * every pod in the files, as the upstream e2e truth tables print it ({@code .} allowed,
 * {@code X} denied; rows are clients). Exit 0, or 2 on bad input.
 */
@Command(name = "matrix", mixinStandardHelpOptions = true,
        description = "Print the reachability matrix of every pod pair for one port and protocol.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "2:bad input"})
final class MatrixCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Inputs inputs;

    @Option(names = "--port", defaultValue = "80/TCP", paramLabel = "PORT[/PROTO]", description = Inputs.PORT_HELP)
    String port;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Inputs.Loaded in = inputs.load(port, err);
        if (in == null) {
            return Inputs.BAD_INPUT;
        }
        Inputs.PortSpec ps = in.port();
        ManifestLoader.Result r = in.result();
        Matrix m = new Evaluator(r.cluster()).matrix(ps.protocol(), ps.port());
        if (inputs.json()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("protocol", m.protocol());
            j.put("port", m.port());
            j.put("pods", m.pods());
            List<Map<String, Object>> cells = new ArrayList<>();
            for (String f : m.pods()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("from", f);
                Map<String, Boolean> to = new LinkedHashMap<>();
                m.pods().forEach(t -> to.put(t, m.allowed(f, t)));
                row.put("to", to);
                cells.add(row);
            }
            j.put("allowed", cells);
            out.println(Inputs.JSON.writeValueAsString(j));
        } else {
            out.print(m.render());
        }
        out.flush();
        return 0;
    }
}
