package io.tabby.cni.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One CNI call: forward to the service, or answer locally when it is unreachable. Everything is
 * passed in (environment, stdin, socket path), so tests run it without a process.
 */
public final class Client {
    /** Where the service listens unless {@code TABBY_CNI_SOCKET} says otherwise. */
    public static final String DEFAULT_SOCKET = "/run/tabby/cni.sock";
    /** Kept in step with io.tabby.cni.types.CniVersion (a test checks they agree). */
    static final String VERSIONS = "[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]";
    private static final Pattern CNI_VERSION = Pattern.compile("\"cniVersion\"\\s*:\\s*\"([0-9.]+)\"");

    private Client() {}

    /** The variables forwarded: the spec's {@code CNI_*}, nothing else of the runtime's environment. */
    public static Map<String, String> cniEnv(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("CNI_")) {
                out.put(k, v);
            }
        });
        return out;
    }

    public static Wire.Response call(Path socket, Map<String, String> env, byte[] stdin) {
        Map<String, String> cni = cniEnv(env);
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch)));
            Wire.writeRequest(out, cni, stdin);
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch)));
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

    static String version(byte[] stdin) {
        Matcher m = CNI_VERSION.matcher(new String(stdin, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "1.1.0";
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
