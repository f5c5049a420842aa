package io.tabby.testkit;

import java.util.List;

/** The outcome of one command: its argv, exit code and captured output. */
public record ExecResult(List<String> argv, int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** Returns this result, or throws naming the command, its exit code and its stderr. */
    public ExecResult orThrow() {
        if (!ok()) {
            throw new CommandFailedException(this);
        }
        return this;
    }

    @Override
    public String toString() {
        return String.join(" ", argv) + " -> exit " + exitCode
                + (stderr.isBlank() ? "" : ": " + stderr.strip());
    }
}
