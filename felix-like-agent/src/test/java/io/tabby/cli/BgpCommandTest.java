package io.tabby.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BgpCommandTest {
    @Test
    void bgpRunIsRegisteredAndNeedsAConfig() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Tabby());
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("bgp", "run")).isEqualTo(2);
        assertThat(err.toString()).contains("--config");
    }

    @Test
    void invalidConfigIsRejectedWithTheReason(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("bgp.yaml");
        Files.writeString(cfg, "localAs: 65001\nrouterId: 10.0.0.1\npeers: [{address: 10.0.0.2, as: 65002, holdTime: 1}]\n");
        var err = new java.io.ByteArrayOutputStream();
        var old = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            assertThat(new CommandLine(new Tabby()).execute("bgp", "run", "--config", cfg.toString())).isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString()).contains("holdTime must be 0 or 3..65535, got 1");
    }

    @Test
    void lookingGlassCommandsSayWhatToDoWhenTheApiIsNotThere(@TempDir Path dir) {
        for (String[] args : new String[][] {{"bgp", "peers"}, {"bgp", "routes", "10.0.0.0/8"}}) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new Tabby());
            cli.setErr(new PrintWriter(err));
            String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--api", dir.resolve("bgp.sock").toString())).toArray(String[]::new);
            assertThat(cli.execute(full)).isEqualTo(1);
            assertThat(err.toString()).contains("no API socket at " + dir.resolve("bgp.sock")).contains("tabby bgp run");
        }
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Tabby());
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("bgp", "peers", "-o", "yaml")).isEqualTo(2);
        assertThat(err.toString()).contains("--output must be table or json");
    }
}
