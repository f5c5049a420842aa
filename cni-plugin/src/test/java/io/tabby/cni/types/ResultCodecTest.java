package io.tabby.cni.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultCodecTest {
    static final Result RESULT = new Result(
            List.of(new Result.Interface("cali20aafc107a9", "ee:ee:ee:ee:ee:ee", 1500, null),
                    new Result.Interface("eth0", "02:11:22:33:44:55", 1500, "/run/netns/p")),
            List.of(new Result.IpConfig(IpNet.parse("10.244.1.5/32"), null, 1),
                    new Result.IpConfig(IpNet.parse("fd00:10:244::5/128"), null, 1)),
            List.of(new Result.Route(IpNet.parse("0.0.0.0/0"), IpNet.parseAddress("169.254.1.1"), 1400, null, null, null, null)),
            null);

    static JsonNode json(String s) {
        return Json.parseObject(s.getBytes(StandardCharsets.UTF_8), "test");
    }

    @Test
    void v1_1_carries_mtu_and_no_ip_version() {
        JsonNode n = json(ResultCodec.encode(RESULT, "1.1.0"));
        assertThat(n.path("cniVersion").asText()).isEqualTo("1.1.0");
        assertThat(n.path("interfaces").get(0).path("mtu").asInt()).isEqualTo(1500);
        assertThat(n.path("ips").get(0).has("version")).isFalse();
        assertThat(n.path("ips").get(1).path("address").asText()).isEqualTo("fd00:10:244::5/128");
        assertThat(n.path("routes").get(0).path("mtu").asInt()).isEqualTo(1400);
    }

    @Test
    void v1_0_drops_the_1_1_fields() {
        JsonNode n = json(ResultCodec.encode(RESULT, "1.0.0"));
        assertThat(n.path("interfaces").get(0).has("mtu")).isFalse();
        assertThat(n.path("routes").get(0).has("mtu")).isFalse();
        assertThat(n.path("ips").get(0).has("version")).isFalse();
    }

    @Test
    void pre_1_0_results_name_the_ip_family() {
        for (String v : List.of("0.3.0", "0.3.1", "0.4.0")) {
            JsonNode n = json(ResultCodec.encode(RESULT, v));
            assertThat(n.path("ips").get(0).path("version").asText()).as(v).isEqualTo("4");
            assertThat(n.path("ips").get(1).path("version").asText()).as(v).isEqualTo("6");
            assertThat(n.path("ips").get(0).path("interface").asInt()).isEqualTo(1);
        }
    }

    @Test
    void every_version_round_trips_the_fields_it_has() {
        for (String v : CniVersion.SUPPORTED) {
            Result back = ResultCodec.decode(json(ResultCodec.encode(RESULT, v)));
            assertThat(back.ips()).isEqualTo(RESULT.ips());
            assertThat(back.interfaces()).extracting(Result.Interface::name).containsExactly("cali20aafc107a9", "eth0");
            assertThat(back.routes().get(0).gw()).isEqualTo(RESULT.routes().get(0).gw());
        }
    }

    @Test
    void a_bad_prev_result_address_is_an_invalid_config() {
        assertThatThrownBy(() -> ResultCodec.decode(json("{\"ips\":[{\"address\":\"not-an-ip/32\"}]}")))
                .isInstanceOfSatisfying(CniError.class, e -> assertThat(e.code()).isEqualTo(CniError.INVALID_NETWORK_CONFIG));
    }
}
