package io.tabby.bgp.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpCodec;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.DecodeResult;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.PathAttribute.Segment;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * UPDATE decode and encode throughput. One operation = one UPDATE message; prefixes/s is
 * ops/s x {@code prefixes}. The attribute set is what a Calico node or ToR sends: ORIGIN, a
 * 4-hop AS_PATH, NEXT_HOP (or MP_REACH for IPv6), MED, LOCAL_PREF, two communities, an
 * extended community and a large community. IPv4 /32s in the classic NLRI field; IPv6 /64s in
 * MP_REACH_NLRI (capped at 400 /64s, 9 octets each). 4-octet AS context; 790 /32s is about what fits a
 * 4096-octet message with this attribute set (798 is the limit).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UpdateCodecBenchmark {
    @Param({"1", "100", "790"})
    public int prefixes;

    @Param({"ipv4", "ipv6"})
    public String family;

    private Update update;
    private ByteBuf wire;
    private ByteBuf out;
    private final WireContext ctx = WireContext.FOUR_OCTET;

    static List<PathAttribute> attributes() {
        return List.of(PathAttribute.Origin.IGP,
                new PathAttribute.AsPath(List.of(Segment.sequence(65010, 65020, 4200000001L, 65030))),
                new PathAttribute.MultiExitDisc(50), new PathAttribute.LocalPref(100),
                new PathAttribute.Communities(List.of((65010 << 16) | 100, (65010 << 16) | 200)),
                new PathAttribute.ExtendedCommunities(List.of(0x0002fdf200000064L)),
                new PathAttribute.LargeCommunities(List.of(new PathAttribute.LargeCommunities.Large(4200000001L, 1, 2))));
    }

    @Setup(Level.Trial)
    public void setUp() {
        List<Prefix> nlri = new ArrayList<>();
        List<PathAttribute> attrs = new ArrayList<>(attributes());
        if (family.equals("ipv4")) {
            for (int i = 0; i < prefixes; i++) {
                nlri.add(Prefix.parse("100." + (64 + (i >> 16)) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff) + "/32"));
            }
            attrs.add(new PathAttribute.NextHop(Addresses.parse4("198.18.1.2")));
            update = new Update(List.of(), attrs, nlri);
        } else {
            List<Prefix> v6 = new ArrayList<>();
            int n = Math.min(prefixes, 400); // 9 octets each: 400 fit in 4096
            for (int i = 0; i < n; i++) {
                v6.add(Prefix.parse("2001:db8:" + Integer.toHexString(i >> 16) + ":" + Integer.toHexString(i & 0xffff) + "::/64"));
            }
            attrs.add(new PathAttribute.MpReach(Family.IPV6_UNICAST, List.of(Addresses.parse("2001:db8::1")), v6));
            update = new Update(List.of(), attrs, List.of());
        }
        wire = PooledByteBufAllocator.DEFAULT.directBuffer();
        BgpCodec.encode(update, wire, ctx);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        wire.release();
        out.release();
    }

    @Benchmark
    public DecodeResult decode() {
        DecodeResult r = BgpCodec.decode(wire.duplicate(), ctx);
        if (!(r instanceof DecodeResult.Success)) {
            throw new IllegalStateException(r.toString());
        }
        return r;
    }

    @Benchmark
    public int encode() {
        out.clear();
        BgpCodec.encode(update, out, ctx);
        return out.writerIndex();
    }
}
