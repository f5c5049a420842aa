package io.tabby.bgp.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.routing.LookingGlass;
import io.tabby.bgp.wire.Prefix;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The API's HTTP and JSON on an EmbeddedChannel: what the CLI and scripts get back. */
class ApiServerTest {
    static final ObjectMapper JSON = new ObjectMapper();

    final PeerStatus peer = new PeerStatus("10.0.0.2", 65002, "EBGP", false, "ESTABLISHED", 75, List.of("ipv4-unicast"),
            3, 2, 1, 1, 4, 2, 6, "HOLD_TIMER_EXPIRED: no KEEPALIVE in 9 s", "10.9.0.0/16: rejected by import policy p");
    final LookingGlass.RouteView route = new LookingGlass.RouteView("10.20.0.0/16", "ipv4-unicast", List.of(
            new LookingGlass.PathView("10.0.0.2(AS65002)", "EBGP", List.of("10.0.0.2"), "65002", "IGP", -1, 5,
                    List.of("65002:7"), 0, true, false, false, BestPath.Reason.AS_PATH),
            new LookingGlass.PathView("10.0.0.3(AS65003)", "EBGP", List.of("10.0.0.3"), "65003 65009", "IGP", -1, -1,
                    List.of(), 0, false, false, false, BestPath.Reason.ONLY_PATH)));
    final List<Optional<Prefix>> asked = new ArrayList<>();
    final MetricRegistry metrics = new MetricRegistry();
    final ApiServer.Sources sources = new ApiServer.Sources(() -> CompletableFuture.completedFuture(List.of(peer)),
            (prefix, limit) -> {
                asked.add(prefix);
                return CompletableFuture.completedFuture(List.of(route));
            }, metrics);

    FullHttpResponse get(String uri) {
        EmbeddedChannel server = new EmbeddedChannel();
        ApiServer.pipeline(server.pipeline(), sources);
        EmbeddedChannel client = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1 << 20));
        client.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
        for (ByteBuf b; (b = client.readOutbound()) != null; ) {
            server.writeInbound(b);
        }
        server.runPendingTasks();
        for (ByteBuf b; (b = server.readOutbound()) != null; ) {
            client.writeInbound(b);
        }
        FullHttpResponse r = client.readInbound();
        assertThat(r).as("an answer to " + uri).isNotNull();
        return r;
    }

    static String body(FullHttpResponse r) {
        String s = r.content().toString(StandardCharsets.UTF_8);
        r.release();
        return s;
    }

    @Test
    void peersRoundTripThroughJsonIntoTheSameRecords() throws Exception {
        FullHttpResponse r = get("/peers");
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.headers().get("content-type")).isEqualTo("application/json");
        List<PeerStatus> back = JSON.readValue(body(r), new TypeReference<>() {});
        assertThat(back).containsExactly(peer);
        assertThat(PeerStatus.table(back)).contains("10.0.0.2").contains("ESTABLISHED").contains("1m15s")
                .contains("HOLD_TIMER_EXPIRED");
    }

    @Test
    void routesCarryEveryPathTheBestAndTheReasonAndTakeThePrefix() throws Exception {
        JsonNode json = JSON.readTree(body(get("/routes?prefix=10.20.0.0/16")));
        assertThat(asked).containsExactly(Optional.of(Prefix.parse("10.20.0.0/16")));
        assertThat(json.get(0).get("paths")).hasSize(2);
        assertThat(json.get(0).get("paths").get(0).get("best").asBoolean()).isTrue();
        assertThat(json.get(0).get("paths").get(0).get("reason").asText()).isEqualTo("AS_PATH");
        List<LookingGlass.RouteView> back = JSON.readValue(json.toString(), new TypeReference<>() {});
        assertThat(back).containsExactly(route);
        body(get("/routes"));
        assertThat(asked).last().isEqualTo(Optional.empty());
    }

    @Test
    void metricsAreDropwizardJson() throws Exception {
        metrics.counter("bgp.peer.10.0.0.2.updates.in").inc(4);
        JsonNode json = JSON.readTree(body(get("/metrics")));
        assertThat(json.get("counters").get("bgp.peer.10.0.0.2.updates.in").get("count").asLong()).isEqualTo(4);
    }

    @Test
    void errorsAreJsonWithTheReason() throws Exception {
        FullHttpResponse bad = get("/routes?prefix=10.0.0.0/99");
        assertThat(bad.status().code()).isEqualTo(400);
        assertThat(JSON.readTree(body(bad)).get("error").asText()).contains("99");
        FullHttpResponse missing = get("/nope");
        assertThat(missing.status().code()).isEqualTo(404);
        assertThat(JSON.readTree(body(missing)).get("error").asText()).contains("/peers");
    }

    @Test
    void overARealUnixSocketTheClientReadsWhatTheServerServesAndTwoSpeakersDoNotShareOne(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path sock = dir.resolve("run").resolve("bgp.sock");
        try (ApiServer api = ApiServer.start(sock, sources)) {
            ApiClient client = new ApiClient(sock);
            assertThat(client.peers()).containsExactly(peer);
            assertThat(client.routes("10.20.0.0/16")).containsExactly(route);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.routes("nonsense"))
                    .isInstanceOf(ApiClient.ApiException.class).hasMessageContaining("API answered 400");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiServer.start(sock, sources))
                    .hasMessageContaining("served by another process");
        }
        assertThat(sock).doesNotExist();
        java.nio.file.Files.writeString(sock, "left behind by a speaker that was killed");
        try (ApiServer again = ApiServer.start(sock, sources)) {
            assertThat(new ApiClient(sock).peers()).hasSize(1);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ApiClient(sock).peers())
                .hasMessageContaining("no API socket at " + sock);
    }
}
