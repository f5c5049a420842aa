package io.tabby.cni.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The {@code tabby} CNI executable's entry point: stdin and environment in, stdout and exit code out. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> env = System.getenv();
        Path socket = Path.of(env.getOrDefault("TABBY_CNI_SOCKET", Client.DEFAULT_SOCKET));
        // VERSION may come with no stdin at all; read whatever is there.
        byte[] stdin = System.in.readAllBytes();
        Wire.Response r = Client.call(socket, env, stdin);
        System.out.write(r.stdout());
        System.out.flush();
        System.err.write(r.stderr());
        System.err.flush();
        System.exit(r.exitCode());
    }
}
