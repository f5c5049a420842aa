package io.tabby.testkit;

/** A command the test bed needed exited non-zero; the message names it and quotes its stderr. */
public final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ExecResult result;

    public CommandFailedException(ExecResult result) {
        super(result.toString());
        this.result = result;
    }

    public ExecResult result() {
        return result;
    }
}
