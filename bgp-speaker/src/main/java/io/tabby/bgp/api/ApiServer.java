package io.tabby.bgp.api;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.json.MetricsModule;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tabby.bgp.routing.LookingGlass;
import io.tabby.bgp.wire.Prefix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The looking glass over HTTP/1.1 on a Unix domain socket (Netty's epoll domain-socket channels):
 * local only, guarded by the socket file's permissions, no port to firewall.
 *
 * <pre>
 *  GET /peers                      -> [PeerStatus...]
 *  GET /routes[?prefix=P][&amp;limit=N] -> [RouteView...] (every path, best first, with the decision step)
 *  GET /metrics                    -> Dropwizard metrics-json (per-peer counters and gauges)
 * </pre>
 *
 * <p>In: requests; the answers come from the speaker as futures (the RIB answers on its own
 * thread). Out: JSON. Errors are JSON too: {@code {"error": "..."}} with 400, 404, 405 or 500.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** Routes per family when no prefix is asked for. */
    public static final int DEFAULT_LIMIT = 1000;

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new MetricsModule(TimeUnit.SECONDS, TimeUnit.MILLISECONDS, false));

    private final Path path;
    private final EventLoopGroup group;
    private final Channel channel;

    private ApiServer(Path path, EventLoopGroup group, Channel channel) {
        this.path = path;
        this.group = group;
        this.channel = channel;
    }

    /** What the API serves. */
    public record Sources(Supplier<CompletableFuture<List<PeerStatus>>> peers,
                          BiFunction<Optional<Prefix>, Integer, CompletableFuture<List<LookingGlass.RouteView>>> routes,
                          MetricRegistry metrics) {}

    /**
     * Binds {@code path}. A socket file left by a speaker that is gone is replaced; one that still
     * answers is not (two speakers must not fight over one API).
     */
    public static ApiServer start(Path path, Sources sources) {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("the API needs the epoll transport for Unix domain sockets: " + Epoll.unavailabilityCause());
        }
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            if (Files.exists(path)) {
                if (answers(path)) {
                    throw new IllegalStateException("API socket " + path + " is served by another process (another speaker?)");
                }
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("API socket " + path + ": " + e.getMessage(), e);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel c) {
                            pipeline(c.pipeline(), sources);
                        }
                    })
                    .bind(new DomainSocketAddress(path.toFile())).syncUninterruptibly().channel();
            log.atInfo().addKeyValue("socket", path).log("looking-glass API listening");
            return new ApiServer(path, group, ch);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static boolean answers(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return c.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /** The HTTP handlers (also what the pure tests put on an EmbeddedChannel). */
    static void pipeline(ChannelPipeline p, Sources sources) {
        p.addLast(new HttpServerCodec(), new HttpObjectAggregator(16 * 1024), new Handler(sources));
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.atWarn().addKeyValue("socket", path).setCause(e).log("could not remove the API socket");
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Sources sources;

        Handler(Sources sources) {
            this.sources = sources;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!req.method().equals(HttpMethod.GET)) {
                respond(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, error("only GET is served"));
                return;
            }
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            CompletableFuture<?> answer;
            try {
                answer = switch (q.path()) {
                    case "/peers" -> sources.peers().get();
                    case "/routes" -> sources.routes().apply(param(q, "prefix").map(Prefix::parse),
                            param(q, "limit").map(Integer::parseInt).orElse(DEFAULT_LIMIT));
                    case "/metrics" -> CompletableFuture.completedFuture(sources.metrics());
                    default -> null;
                };
            } catch (IllegalArgumentException e) {
                respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, error(e.getMessage()));
                return;
            }
            if (answer == null) {
                respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, error("no such resource " + q.path()
                        + " (try /peers, /routes, /routes?prefix=P, /metrics)"));
                return;
            }
            answer.orTimeout(10, TimeUnit.SECONDS).whenComplete((value, failure) -> ctx.executor().execute(() -> {
                if (failure != null) {
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                            ? c.getCause() : failure;
                    HttpResponseStatus status = cause instanceof IllegalArgumentException
                            ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.INTERNAL_SERVER_ERROR;
                    respond(ctx, keepAlive, status, error(String.valueOf(cause.getMessage())));
                } else {
                    respond(ctx, keepAlive, HttpResponseStatus.OK, value);
                }
            }));
        }

        private static Optional<String> param(QueryStringDecoder q, String name) {
            List<String> v = q.parameters().get(name);
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
        }

        private static Map<String, String> error(String message) {
            return Map.of("error", message);
        }

        private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Object body) {
            byte[] bytes;
            try {
                bytes = JSON.writeValueAsBytes(body);
            } catch (IOException e) {
                status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
                bytes = ("{\"error\": \"cannot serialise: " + e.getMessage().replace('"', '\'') + "\"}").getBytes();
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            if (keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(r);
            } else {
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
