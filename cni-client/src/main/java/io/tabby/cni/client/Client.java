package io.tabby.cni.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * One CNI call: forward to the service, or answer locally when it is unreachable. Everything is
 * passed in (environment, stdin, socket path), so tests run it without a process.
 */
public final class Client {
    /** Where the service listens unless {@code TABBY_CNI_SOCKET} says otherwise. */
    public static final String DEFAULT_SOCKET = "/run/tabby/cni.sock";
    /** Kept in step with io.tabby.cni.types.CniVersion (a test checks they agree). */
    static final String VERSIONS = "[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]";

    private Client() {}

    /** The variables forwarded: the spec's {@code CNI_*}, nothing else of the runtime's environment. */
    public static Map<String, String> cniEnv(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith("CNI_")) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    public static Wire.Response call(Path socket, Map<String, String> env, byte[] stdin) {
        Map<String, String> cni = cniEnv(env);
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch));
            Wire.writeRequest(out, cni, stdin);
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            return Wire.readResponse(in);
        } catch (IOException e) {
            return unreachable(socket, cni.getOrDefault("CNI_COMMAND", ""), stdin, e);
        }
    }

    /** The answers that need no service: SPEC.md codes 50 (STATUS) and 11 (everything else). */
    static Wire.Response unreachable(Path socket, String command, byte[] stdin, IOException why) {
        String version = version(stdin);
        if (command.equals("VERSION")) {
            return ok("{\"cniVersion\":\"1.1.0\",\"supportedVersions\":" + VERSIONS + "}");
        }
        String reason = "the tabby CNI service is not reachable at " + socket + " (" + why.getMessage()
                + "); is the tabby agent running on this node?";
        int code = command.equals("STATUS") ? 50 : 11;
        String msg = command.equals("STATUS") ? "tabby CNI service not available" : "tabby CNI service not reachable, try again later";
        String json = "{\"cniVersion\":\"" + version + "\",\"code\":" + code + ",\"msg\":\"" + escape(msg)
                + "\",\"details\":\"" + escape(reason) + "\"}";
        return new Wire.Response(1, json.getBytes(StandardCharsets.UTF_8), (reason + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static Wire.Response ok(String stdout) {
        return new Wire.Response(0, stdout.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    /**
     * The config's {@code "cniVersion"} value for an error object, found by scanning rather than
     * parsing (no JSON library here; java.util.regex would cost the start ~26 classes); 1.1.0 if
     * there is none or it is not a dotted number.
     */
    static String version(byte[] stdin) {
        String s = new String(stdin, StandardCharsets.UTF_8);
        int i = s.indexOf("\"cniVersion\"");
        if (i < 0) {
            return "1.1.0";
        }
        i += "\"cniVersion\"".length();
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= s.length() || s.charAt(i++) != ':') {
            return "1.1.0";
        }
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= s.length() || s.charAt(i++) != '"') {
            return "1.1.0";
        }
        int end = i;
        while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.')) {
            end++;
        }
        return end > i && end < s.length() && s.charAt(end) == '"' ? s.substring(i, end) : "1.1.0";
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
