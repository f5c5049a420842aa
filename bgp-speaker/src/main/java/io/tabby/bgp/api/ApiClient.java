package io.tabby.bgp.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tabby.bgp.routing.LookingGlass;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The CLI's side of {@link ApiServer}: one HTTP/1.1 GET per call over the Unix domain socket
 * (JDK {@link UnixDomainSocketAddress}, {@code Connection: close}, read to end). Failures are
 * {@link ApiException}s whose message says what to do ("is tabby bgp run running?").
 */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path socket;

    public ApiClient(Path socket) {
        this.socket = socket;
    }

    /** The API could not be reached or answered with an error. */
    public static final class ApiException extends Exception {
        public ApiException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public List<PeerStatus> peers() throws ApiException {
        return parse(get("/peers"), new TypeReference<>() {});
    }

    /** One prefix (null: the first {@link ApiServer#DEFAULT_LIMIT} of each family). */
    public List<LookingGlass.RouteView> routes(String prefix) throws ApiException {
        return parse(get(prefix == null ? "/routes" : "/routes?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8)),
                new TypeReference<>() {});
    }

    /** The body of a 200 answer to GET {@code path}, as text (JSON). */
    public String get(String path) throws ApiException {
        if (!Files.exists(socket)) {
            throw new ApiException("no API socket at " + socket + " (is `tabby bgp run` running? use --api to point at its apiSocket)", null);
        }
        byte[] raw;
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: tabby\r\nAccept: application/json\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (c.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            raw = out.toByteArray();
        } catch (IOException e) {
            throw new ApiException("cannot reach the API at " + socket + ": " + e.getMessage()
                    + " (is `tabby bgp run` running?)", e);
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || headerEnd < 0) {
            throw new ApiException("not an HTTP answer from " + socket + ": " + text.lines().findFirst().orElse("(empty)"), null);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String body = text.substring(headerEnd + 4);
        if (status != 200) {
            String message = body;
            try {
                message = String.valueOf(JSON.readValue(body, Map.class).get("error"));
            } catch (IOException ignored) {
                // not JSON: show it as it is
            }
            throw new ApiException("API answered " + status + ": " + message, null);
        }
        return body;
    }

    private static <T> T parse(String body, TypeReference<T> type) throws ApiException {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new ApiException("unexpected answer from the API: " + e.getMessage(), e);
        }
    }
}
