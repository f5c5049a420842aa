package io.tabby.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TabbyTest {
    @Test
    void helpListsSubcommandsAndExitsZero() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Tabby());
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: tabby").contains("version");
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        CommandLine cli = new CommandLine(new Tabby());
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("no-such-command")).isEqualTo(2);
    }
}
