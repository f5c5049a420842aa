package io.tabby.cni.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** The {@code tabby} CNI executable's entry point: stdin and environment in, stdout and exit code out. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws IOException {
        int code = run(System.getenv(), System.in, System.out, System.err);
        // halt, not System.exit: exit logs through System.Logger (Shutdown.logRuntimeExit), whose
        // bootstrap costs several ms at -Xint; there are no shutdown hooks and output is flushed.
        Runtime.getRuntime().halt(code);
    }

    /** One call, as {@link #main} makes it; {@link Training} makes several in one JVM. */
    static int run(Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) throws IOException {
        Path socket = Path.of(env.getOrDefault("TABBY_CNI_SOCKET", Client.DEFAULT_SOCKET));
        // VERSION may come with no stdin at all; read whatever is there.
        Wire.Response r = Client.call(socket, env, stdin.readAllBytes());
        out.write(r.stdout());
        out.flush();
        err.write(r.stderr());
        err.flush();
        return r.exitCode();
    }
}
