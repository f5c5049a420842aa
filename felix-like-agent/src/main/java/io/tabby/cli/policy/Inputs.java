package io.tabby.cli.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tabby.policy.k8s.ManifestLoader;
import io.tabby.policy.model.Protocol;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What both subcommands share: the files, the output format, and the exit codes. */
final class Inputs {
    static final int ALLOWED = 0;
    static final int DENIED = 1;
    static final int BAD_INPUT = 2;

    static final String PORT_HELP = "Destination port and protocol (default ${DEFAULT-VALUE}).";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = {"-f", "--filename"}, required = true, arity = "1..*", paramLabel = "FILE",
            description = "Kubernetes YAML: Namespaces, Pods, Deployments, NetworkPolicies (multi-document files are fine). "
                    + "A directory stands for its .yaml, .yml and .json files, as with kubectl -f.")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default) or json.")
    String output;

    boolean json() {
        return output.equals("json");
    }

    /** The parsed port and the loaded files. */
    record Loaded(PortSpec port, ManifestLoader.Result result) {}

    /** Parses {@code port} and loads the files; null (after printing every problem) when anything is wrong. */
    Loaded load(String port, PrintWriter err) {
        PortSpec ps;
        try {
            ps = PortSpec.parse(port);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return null;
        }
        ManifestLoader.Result r = load(err);
        return r == null ? null : new Loaded(ps, r);
    }

    private ManifestLoader.Result load(PrintWriter err) {
        if (!output.equals("text") && !output.equals("json")) {
            err.println("error: -o must be text or json, not " + output);
            return null;
        }
        List<ManifestLoader.Source> sources = new ArrayList<>();
        for (Path f : files) {
            try {
                for (Path m : manifests(f)) {
                    sources.add(new ManifestLoader.Source(m.toString(), Files.readString(m)));
                }
            } catch (IOException e) {
                err.println("error: cannot read " + f + ": " + e.getMessage());
                return null;
            }
        }
        ManifestLoader.Result r;
        try {
            r = new ManifestLoader().load(sources);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return null;
        }
        if (!r.errors().isEmpty()) {
            r.errors().forEach(e -> err.println("error: " + e));
            return null;
        }
        return r;
    }

    /**
     * A file as it is; a directory as its manifest files (not recursive), sorted by name so that
     * the output does not depend on the order the file system lists them in.
     */
    private static List<Path> manifests(Path f) throws IOException {
        if (!Files.isDirectory(f)) {
            return List.of(f);
        }
        try (var entries = Files.list(f)) {
            return entries.filter(p -> p.getFileName().toString().matches(".*\\.(ya?ml|json)"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }

    /** "80/TCP", "53/udp" or "80" (TCP). */
    record PortSpec(int port, Protocol protocol) {
        static PortSpec parse(String s) {
            String[] parts = s.split("/", 2);
            try {
                int port = Integer.parseInt(parts[0]);
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port " + port + " out of range 1-65535");
                }
                Protocol p = parts.length == 1 ? Protocol.TCP : Protocol.parse(parts[1].toUpperCase(java.util.Locale.ROOT));
                return new PortSpec(port, p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port wants PORT[/PROTOCOL], e.g. 80/TCP, not " + s);
            }
        }
    }
}
