package io.tabby.cli;

import io.tabby.bgp.config.BgpConfig;
import io.tabby.bgp.server.BgpServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tabby bgp ...}: the BGP speaker. */
@Command(name = "bgp", description = "The BGP-4 speaker.", subcommands = BgpCommand.Run.class)
final class BgpCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code tabby bgp run --config FILE}: runs the speaker until SIGTERM/SIGINT, then sends every
     * peer Cease/Administrative Shutdown with the {@code --shutdown-message} and exits.
     */
    @Command(name = "run", description = "Run a standalone BGP speaker from a YAML or JSON config.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "YAML or JSON configuration file.")
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
            BgpServer server = new BgpServer(cfg).start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.shutdown(shutdownMessage);
                stopped.countDown();
            }, "bgp-shutdown"));
            stopped.await();
            return 0;
        }
    }
}
