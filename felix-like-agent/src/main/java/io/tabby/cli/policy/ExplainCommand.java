package io.tabby.cli.policy;

import io.tabby.policy.eval.Evaluator;
import io.tabby.policy.eval.Explanation;
import io.tabby.policy.eval.Party;
import io.tabby.policy.eval.Side;
import io.tabby.policy.k8s.ManifestLoader;
import io.tabby.policy.model.Endpoint;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tabby policy explain --from ns/pod --to ns/pod --port 80/TCP -f FILES...}: the verdict on
 * one connection and the policies and rules that decided it. Exit 0 allowed, 1 denied, 2 bad
 * input, so it can gate a CI pipeline.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain whether one pod may connect to another, and which policies decide it.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:allowed", "1:denied", "2:bad input (unreadable or invalid YAML, unknown pod, bad port)"})
final class ExplainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Inputs inputs;

    @Option(names = "--from", required = true, paramLabel = "NS/POD|IP",
            description = "The client: a pod, or an IP address (a pod's, or a non-pod source such as another node or an outside host).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "NS/POD", description = "The server pod.")
    String to;

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
        Optional<Party> a = party(r, from);
        Optional<Endpoint> b = r.cluster().endpoint(to);
        if (a.isEmpty() || b.isEmpty()) {
            err.println("error: no pod " + (a.isEmpty() ? from : to) + " in the files (pods: "
                    + String.join(", ", r.cluster().endpoints().stream().map(Endpoint::key).toList()) + ")");
            return Inputs.BAD_INPUT;
        }
        Explanation e = new Evaluator(r.cluster()).explain(a.get(), new Party.Pod(b.get()), ps.protocol(), ps.port());
        if (inputs.json()) {
            out.println(Inputs.JSON.writeValueAsString(json(e)));
        } else {
            out.print(text(e));
        }
        out.flush();
        return e.allowed() ? Inputs.ALLOWED : Inputs.DENIED;
    }

    /** A pod by ns/name, or an IP address that is not a pod's (an outside host or another node). */
    private static Optional<Party> party(ManifestLoader.Result r, String s) {
        if (s.contains("/")) {
            return r.cluster().endpoint(s).map(Party.Pod::new);
        }
        try {
            return Optional.of(r.cluster().endpoints().stream().filter(e -> e.ip().equals(s)).findFirst()
                    .<Party>map(Party.Pod::new).orElse(new Party.Host(s, null)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String text(Explanation e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.from().describe()).append(" -> ").append(e.to().describe()).append(' ')
                .append(e.port()).append('/').append(e.protocol()).append(": ")
                .append(e.allowed() ? "ALLOWED" : "DENIED").append('\n');
        side(sb, e.egress(), e.from().describe());
        side(sb, e.ingress(), e.to().describe());
        return sb.toString();
    }

    private static void side(StringBuilder sb, Side s, String pod) {
        String dir = s.direction().name().toLowerCase(Locale.ROOT);
        sb.append("  ").append(dir).append(" of ").append(pod).append(": ");
        switch (s.outcome()) {
            case NOT_ISOLATED -> sb.append("allowed (not isolated: no policy selects it for ").append(dir).append(")\n");
            case SAME_POD -> sb.append("allowed (a pod may always reach itself)\n");
            case LOCAL_NODE -> sb.append("allowed (traffic from the pod's own node)\n");
            case NOT_A_POD -> sb.append("not a pod, not subject to policy\n");
            case ALLOWED -> {
                sb.append("allowed\n    isolated by: ").append(String.join(", ", s.isolatedBy())).append('\n');
                s.allowedBy().forEach(r -> sb.append("    allowed by: ").append(r).append('\n'));
            }
            case DENIED -> sb.append("DENIED\n    isolated by: ").append(String.join(", ", s.isolatedBy()))
                    .append("\n    and no rule of these policies allows this connection\n");
        }
    }

    static Map<String, Object> json(Explanation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", e.from().describe());
        m.put("to", e.to().describe());
        m.put("protocol", e.protocol());
        m.put("port", e.port());
        m.put("allowed", e.allowed());
        m.put("egress", side(e.egress()));
        m.put("ingress", side(e.ingress()));
        return m;
    }

    private static Map<String, Object> side(Side s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcome", s.outcome());
        m.put("isolatedBy", s.isolatedBy());
        m.put("allowedBy", s.allowedBy().stream().map(r -> Map.of(
                "policy", r.policy(), "index", r.index(), "peer", r.peer(), "port", r.port())).toList());
        return m;
    }

}
