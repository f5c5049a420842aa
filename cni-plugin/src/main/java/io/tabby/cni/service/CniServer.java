package io.tabby.cni.service;

import io.tabby.cni.client.Wire;
import io.tabby.cni.skel.Outcome;
import io.tabby.cni.skel.Skel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's CNI service: accepts the thin client's connections on a Unix socket and answers each
 * with the {@link Skel}'s outcome. One pooled platform thread per call, not a virtual thread: the
 * dataplane blocks in native netlink calls (JNA), which pin a virtual thread's carrier, and with
 * one carrier per core ten parallel calls would queue behind two. The plugin does its own
 * per-container serialisation. The socket is owner-only (0600): whoever can write to it can configure pod networks.
 */
public final class CniServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CniServer.class);

    private final Path socket;
    private final Skel skel;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newCachedThreadPool(
            Thread.ofPlatform().name("cni-call-", 0).daemon(true).factory());

    private CniServer(Path socket, Skel skel, ServerSocketChannel server) {
        this.socket = socket;
        this.skel = skel;
        this.server = server;
        this.acceptor = Thread.ofPlatform().name("cni-accept").daemon(true).unstarted(this::acceptLoop);
    }

    /** Binds {@code socket} (replacing a stale file left by a dead service) and starts serving. */
    public static CniServer start(Path socket, Skel skel) {
        try {
            Files.createDirectories(socket.toAbsolutePath().getParent());
            Files.deleteIfExists(socket);
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(socket), 256);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            CniServer s = new CniServer(socket, skel, ch);
            s.acceptor.start();
            log.atInfo().addKeyValue("socket", socket).log("CNI service listening");
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + socket, e);
        }
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                workers.execute(() -> serve(c));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.atWarn().addKeyValue("error", e.toString()).log("accept failed");
            }
        }
    }

    private void serve(SocketChannel c) {
        long t0 = System.nanoTime();
        try (c) {
            Wire.Request req = Wire.readRequest(new BufferedInputStream(Channels.newInputStream(c)));
            Outcome o = skel.run(req.env(), req.stdin());
            Wire.writeResponse(new BufferedOutputStream(Channels.newOutputStream(c)), o.exitCode(),
                    o.stdout().getBytes(StandardCharsets.UTF_8), o.stderr().getBytes(StandardCharsets.UTF_8));
            log.atInfo().addKeyValue("command", req.env().get("CNI_COMMAND"))
                    .addKeyValue("container", req.env().get("CNI_CONTAINERID")).addKeyValue("exit", o.exitCode())
                    .addKeyValue("ms", (System.nanoTime() - t0) / 1_000_000).addKeyValue("error", o.stderr())
                    .log("CNI call");
        } catch (IOException e) {
            log.atWarn().addKeyValue("error", e.toString()).log("bad CNI client connection");
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            acceptor.join(2000);
            workers.shutdown();
            workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
