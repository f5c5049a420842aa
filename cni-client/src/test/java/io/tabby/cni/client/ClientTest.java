package io.tabby.cni.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientTest {
    @TempDir
    Path dir;

    static String out(Wire.Response r) {
        return new String(r.stdout(), StandardCharsets.UTF_8);
    }

    @Test
    void without_a_service_add_is_try_again_later_status_is_not_available_version_is_local() {
        Path sock = dir.resolve("none.sock");
        byte[] conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8);
        Wire.Response add = Client.call(sock, Map.of("CNI_COMMAND", "ADD"), conf);
        assertThat(add.exitCode()).isEqualTo(1);
        assertThat(out(add)).contains("\"code\":11").contains("\"cniVersion\":\"1.0.0\"").contains(sock.toString());
        Wire.Response status = Client.call(sock, Map.of("CNI_COMMAND", "STATUS"), conf);
        assertThat(out(status)).contains("\"code\":50");
        Wire.Response version = Client.call(sock, Map.of("CNI_COMMAND", "VERSION"), new byte[0]);
        assertThat(version.exitCode()).isZero();
        assertThat(out(version)).isEqualTo("{\"cniVersion\":\"1.1.0\",\"supportedVersions\":" + Client.VERSIONS + "}");
    }

    @Test
    void forwards_only_cni_variables_and_stdin_verbatim_and_relays_the_answer() throws Exception {
        Path sock = dir.resolve("svc.sock");
        AtomicReference<Wire.Request> seen = new AtomicReference<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread t = Thread.ofVirtual().start(() -> {
                try (SocketChannel c = server.accept()) {
                    seen.set(Wire.readRequest(new BufferedInputStream(Channels.newInputStream(c))));
                    Wire.writeResponse(new BufferedOutputStream(Channels.newOutputStream(c)), 1,
                            "{\"code\":7}".getBytes(StandardCharsets.UTF_8), "why".getBytes(StandardCharsets.UTF_8));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] stdin = "{ \"odd\" :\n\"spacing\" }".getBytes(StandardCharsets.UTF_8);
            Wire.Response r = Client.call(sock, Map.of("CNI_COMMAND", "ADD", "CNI_NETNS", "/run/netns/x", "HOME", "/root"), stdin);
            t.join();
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(out(r)).isEqualTo("{\"code\":7}");
            assertThat(new String(r.stderr(), StandardCharsets.UTF_8)).isEqualTo("why");
            assertThat(seen.get().env()).containsOnlyKeys("CNI_COMMAND", "CNI_NETNS");
            assertThat(seen.get().stdin()).isEqualTo(stdin);
        }
        Files.deleteIfExists(sock);
    }

    @Test
    void escapes_json() {
        assertThat(Client.escape("a\"b\\c\n\u0001")).isEqualTo("a\\\"b\\\\c\\n\\u0001");
    }

    @Test
    void finds_the_config_version_for_error_objects() {
        assertThat(Client.version(bytes("{\"cniVersion\":\"0.4.0\"}"))).isEqualTo("0.4.0");
        assertThat(Client.version(bytes("{ \"name\": \"n\", \"cniVersion\" :\n \"1.0.0\" }"))).isEqualTo("1.0.0");
        assertThat(Client.version(bytes("{\"name\":\"n\"}"))).as("absent").isEqualTo("1.1.0");
        assertThat(Client.version(bytes("{\"cniVersion\":\"1.0.0\\\"x\"}"))).as("not a dotted number").isEqualTo("1.1.0");
        assertThat(Client.version(bytes("{\"cniVersion\":1}"))).as("not a string").isEqualTo("1.1.0");
        assertThat(Client.version(bytes("{\"cniVersion\":\"1.0"))).as("truncated").isEqualTo("1.1.0");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
