package io.tabby.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandsTest {
    @Test
    void capturesBothStreamsAndTheExitCode() {
        ExecResult r = Commands.run(List.of("sh", "-c", "cat; echo oops >&2; exit 3"), "hello\n", Duration.ofSeconds(10));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("hello\n");
        assertThat(r.stderr()).isEqualTo("oops\n");
        assertThat(r.ok()).isFalse();
    }

    @Test
    void orThrowNamesTheCommandAndItsStderr() {
        ExecResult r = Commands.run(List.of("sh", "-c", "echo 'no such device' >&2; exit 1"), null, Duration.ofSeconds(10));
        assertThatThrownBy(r::orThrow)
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("sh -c")
                .hasMessageContaining("exit 1")
                .hasMessageContaining("no such device");
    }

    @Test
    void aCommandThatOutlivesItsLimitIsKilledAndReported() {
        ExecResult r = Commands.run(List.of("sleep", "30"), null, Duration.ofMillis(200));
        assertThat(r.exitCode()).isEqualTo(124);
        assertThat(r.stderr()).contains("timed out");
    }
}
