package io.tabby.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file under {@code src/test/resources/malformed} (made by {@code gen.py} there) is one
 * malformed message and the outcome RFC 4271 section 6 or RFC 7606 requires: a NOTIFICATION
 * code/subcode (and data), treat-as-withdraw, attribute discard, or OK.
 */
class MalformedCorpusTest {
    record Case(String name, WireContext ctx, String expect, String data, byte[] message) {
        @Override
        public String toString() {
            return name + " -> " + expect;
        }
    }

    static Path dir() throws URISyntaxException {
        return Path.of(MalformedCorpusTest.class.getResource("/malformed").toURI());
    }

    static Stream<Case> cases() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(p -> p.toString().endsWith(".txt")).sorted().map(MalformedCorpusTest::parse).toList().stream();
        }
    }

    static Case parse(Path p) {
        try {
            List<String> lines = Files.readAllLines(p);
            WireContext ctx = null;
            String expect = null;
            String data = null;
            StringBuilder hex = new StringBuilder();
            for (String l : lines) {
                if (l.startsWith("#") || l.isBlank()) {
                    continue;
                }
                if (l.startsWith("context: ")) {
                    ctx = l.endsWith("as4") ? WireContext.FOUR_OCTET : WireContext.INITIAL;
                } else if (l.startsWith("expect: ")) {
                    expect = l.substring(8).strip();
                } else if (l.startsWith("data: ")) {
                    data = l.substring(6).strip();
                } else {
                    hex.append(l.strip());
                }
            }
            return new Case(p.getFileName().toString(), ctx, expect, data, HexFormat.of().parseHex(hex));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String outcome(DecodeResult r) {
        return switch (r) {
            case DecodeResult.Failure f -> "NOTIFICATION " + f.code().code() + "/" + f.code().subcode();
            case DecodeResult.Success s when s.treatAsWithdraw() -> "TREAT_AS_WITHDRAW";
            case DecodeResult.Success s when !s.notes().isEmpty() -> "DISCARD";
            case DecodeResult.Success s -> "OK";
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachMalformedMessageHasItsSpecifiedOutcome(Case c) {
        ByteBuf buf = Unpooled.wrappedBuffer(c.message());
        try {
            DecodeResult r = BgpCodec.decode(buf, c.ctx());
            assertThat(outcome(r)).as("%s: %s", c.name(), r).isEqualTo(c.expect());
            if (c.data() != null) {
                assertThat(((DecodeResult.Failure) r).data().hex()).isEqualTo(c.data());
            }
            assertThat(buf.readableBytes()).as("the whole message is consumed").isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void theCorpusCoversEveryLevel() throws Exception {
        List<String> outcomes = cases().map(Case::expect).toList();
        assertThat(outcomes).hasSizeGreaterThan(40)
                .contains("OK", "DISCARD", "TREAT_AS_WITHDRAW", "NOTIFICATION 1/1", "NOTIFICATION 1/2",
                        "NOTIFICATION 1/3", "NOTIFICATION 2/1", "NOTIFICATION 3/1", "NOTIFICATION 3/2");
    }

    @Test
    void unknownOptionalTransitiveIsKeptAndPassedOnPartial() throws Exception {
        Case c = parse(dir().resolve("update-unknown-optional-transitive.txt"));
        ByteBuf buf = Unpooled.wrappedBuffer(c.message());
        var s = (DecodeResult.Success) BgpCodec.decode(buf, c.ctx());
        buf.release();
        var u = ((BgpMessage.Update) s.message()).attribute(PathAttribute.Unknown.class).orElseThrow();
        assertThat(u.code()).isEqualTo(99);
        assertThat(u.flags() & PathAttribute.PARTIAL).isZero();
        assertThat(u.passedOn().flags() & PathAttribute.PARTIAL).isNotZero();
    }
}
