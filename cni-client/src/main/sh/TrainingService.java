// Build time only (build-install.sh runs it with the build's JDK, in source-file mode, with the
// client jar on the class path): a stand-in CNI service that answers every request with an empty
// success, so that the AOT cache's training run covers the client's round trip through a socket.
// Usage: java -cp tabby-cni-client.jar TrainingService.java <socket path>; stops when stdin closes.
import io.tabby.cni.client.Wire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

void main(String[] args) throws Exception {
    Path path = Path.of(args[0]);
    Files.deleteIfExists(path);
    ServerSocketChannel server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    Thread.ofPlatform().daemon().start(() -> {
        while (true) {
            try (SocketChannel ch = server.accept()) {
                var req = Wire.readRequest(new BufferedInputStream(Channels.newInputStream(ch)));
                byte[] out = ("{\"cniVersion\":\"1.1.0\",\"training\":\"" + req.env().get("CNI_COMMAND") + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                Wire.writeResponse(new BufferedOutputStream(Channels.newOutputStream(ch)), 0, out, new byte[0]);
            } catch (Exception e) {
                System.err.println("training service: " + e);
            }
        }
    });
    System.out.println("ready");
    System.out.flush();
    System.in.read();
    Files.deleteIfExists(path);
}
