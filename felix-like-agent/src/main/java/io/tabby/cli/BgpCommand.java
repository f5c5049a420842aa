package io.tabby.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tabby.bgp.api.ApiClient;
import io.tabby.bgp.api.PeerStatus;
import io.tabby.bgp.config.BgpConfig;
import io.tabby.bgp.routing.LookingGlass;
import io.tabby.bgp.server.BgpServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tabby bgp ...}: the BGP speaker and its looking glass. */
@Command(name = "bgp", description = "The BGP-4 speaker.",
        subcommands = {BgpCommand.Run.class, BgpCommand.Peers.class, BgpCommand.Routes.class})
final class BgpCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code tabby bgp run -c FILE}: runs the speaker until SIGTERM/SIGINT, then sends every
     * peer Cease/Administrative Shutdown with the {@code --shutdown-message} and exits.
     */
    @Command(name = "run", description = "Run the BGP speaker (RIB, policies, FIB, looking-glass API) from a YAML or JSON config.")
    static final class Run implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, description = "YAML or JSON configuration file.")
        Path config;

        @Option(names = "--shutdown-message", defaultValue = "tabby bgp speaker stopping",
                description = "Shutdown Communication (RFC 9003) sent to every peer on exit.")
        String shutdownMessage;

        @Override
        public Integer call() throws Exception {
            BgpConfig cfg;
            try {
                cfg = BgpConfig.load(config);
            } catch (IllegalArgumentException e) {
                System.err.println("tabby bgp run: " + e.getMessage());
                return 2;
            }
            BgpServer server;
            try {
                server = new BgpServer(cfg).haltOnFatalError("tabby bgp run").start();
            } catch (RuntimeException e) {
                System.err.println("tabby bgp run: cannot start: " + e.getMessage());
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.shutdown(shutdownMessage);
                stopped.countDown();
            }, "bgp-shutdown"));
            stopped.await();
            return 0;
        }
    }

    /** Options shared by the looking-glass commands. */
    abstract static class Query implements Callable<Integer> {
        @Option(names = "--api", defaultValue = BgpConfig.DEFAULT_API_SOCKET, description = "The speaker's API socket (apiSocket in its config).")
        Path api;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json.")
        String output;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!output.equals("table") && !output.equals("json")) {
                err.println("tabby bgp " + spec.name() + ": --output must be table or json, got " + output);
                return 2;
            }
            try {
                Object value = fetch(new ApiClient(api));
                out.print(output.equals("json") ? JSON.writeValueAsString(value) + "\n" : table(value));
                out.flush();
                return 0;
            } catch (ApiClient.ApiException e) {
                err.println("tabby bgp " + spec.name() + ": " + e.getMessage());
                err.flush();
                return 1;
            } catch (java.io.IOException e) {
                err.println("tabby bgp " + spec.name() + ": " + e.getMessage());
                return 1;
            }
        }

        abstract Object fetch(ApiClient c) throws ApiClient.ApiException;

        abstract String table(Object value);
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** {@code tabby bgp peers}: every neighbour's session and prefix counts. */
    @Command(name = "peers", description = "Show the speaker's neighbours: state, uptime, AS, families, prefixes, last error.")
    static final class Peers extends Query {
        @Override
        Object fetch(ApiClient c) throws ApiClient.ApiException {
            return c.peers();
        }

        @Override
        @SuppressWarnings("unchecked")
        String table(Object value) {
            return PeerStatus.table((List<PeerStatus>) value);
        }
    }

    /** {@code tabby bgp routes [PREFIX]}: every path, the best marked, and why it won. */
    @Command(name = "routes", description = "Show routes with every path, the best marked, and the reason of the decision.")
    static final class Routes extends Query {
        @Parameters(arity = "0..1", paramLabel = "PREFIX", description = "One prefix (default: the first 1000 of each family).")
        String prefix;

        @Override
        Object fetch(ApiClient c) throws ApiClient.ApiException {
            return c.routes(prefix);
        }

        @Override
        @SuppressWarnings("unchecked")
        String table(Object value) {
            var sb = new StringBuilder();
            for (LookingGlass.RouteView r : (List<LookingGlass.RouteView>) value) {
                sb.append(LookingGlass.format(r));
            }
            return sb.isEmpty() ? "no routes\n" : sb.toString();
        }
    }
}
