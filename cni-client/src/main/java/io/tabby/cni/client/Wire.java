package io.tabby.cni.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client-service protocol, one request and one response per connection. Both are
 * length-prefixed so no parsing of the CNI payload is needed to frame it:
 * <pre>
 * request  = "TCNI" u8(version=1) u32(n) n * (str key, str value) bytes(stdin)
 * response = "TCNI" u8(version=1) u32(exitCode) bytes(stdout) bytes(stderr)
 * str      = bytes (UTF-8);  bytes = u32(len) len * u8;  u32 big-endian
 * </pre>
 * Plain streams, not {@code DataInputStream}/{@code DataOutputStream}: their integer methods go
 * through {@code jdk.internal.util.ByteArray}, whose VarHandles cost the interpreted client start
 * a dozen classes and their linking.
 */
public final class Wire {
    static final byte[] MAGIC = {'T', 'C', 'N', 'I'};
    static final int VERSION = 1;
    /** Configurations are small; anything this big is not a CNI request. */
    static final int MAX = 16 << 20;

    private Wire() {}

    public record Request(Map<String, String> env, byte[] stdin) {}

    public record Response(int exitCode, byte[] stdout, byte[] stderr) {}

    public static void writeRequest(OutputStream out, Map<String, String> env, byte[] stdin) throws IOException {
        header(out);
        writeInt(out, env.size());
        for (Map.Entry<String, String> e : env.entrySet()) {
            bytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
            bytes(out, e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        bytes(out, stdin);
        out.flush();
    }

    public static Request readRequest(InputStream in) throws IOException {
        checkHeader(in);
        int n = readInt(in);
        if (n < 0 || n > 4096) {
            throw new IOException("bad environment size " + n);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            env.put(new String(bytes(in), StandardCharsets.UTF_8), new String(bytes(in), StandardCharsets.UTF_8));
        }
        return new Request(env, bytes(in));
    }

    public static void writeResponse(OutputStream out, int exitCode, byte[] stdout, byte[] stderr) throws IOException {
        header(out);
        writeInt(out, exitCode);
        bytes(out, stdout);
        bytes(out, stderr);
        out.flush();
    }

    public static Response readResponse(InputStream in) throws IOException {
        checkHeader(in);
        int code = readInt(in);
        return new Response(code, bytes(in), bytes(in));
    }

    private static void header(OutputStream out) throws IOException {
        out.write(MAGIC);
        out.write(VERSION);
    }

    private static void checkHeader(InputStream in) throws IOException {
        byte[] m = in.readNBytes(5);
        if (m.length < 5 || m[0] != 'T' || m[1] != 'C' || m[2] != 'N' || m[3] != 'I') {
            throw new IOException("not a tabby CNI message");
        }
        if (m[4] != VERSION) {
            throw new IOException("unsupported tabby CNI protocol version " + m[4]);
        }
    }

    private static void bytes(OutputStream out, byte[] b) throws IOException {
        writeInt(out, b.length);
        out.write(b);
    }

    private static byte[] bytes(InputStream in) throws IOException {
        int len = readInt(in);
        if (len < 0 || len > MAX) {
            throw new IOException("bad length " + len);
        }
        byte[] b = in.readNBytes(len);
        if (b.length != len) {
            throw new IOException("truncated message");
        }
        return b;
    }

    private static void writeInt(OutputStream out, int v) throws IOException {
        out.write(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    private static int readInt(InputStream in) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new EOFException("truncated message");
        }
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
