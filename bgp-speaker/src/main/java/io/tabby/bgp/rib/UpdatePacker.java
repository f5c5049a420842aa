package io.tabby.bgp.rib;

import io.tabby.bgp.wire.BgpCodec;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute.MpUnreach;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an {@link AdjRibOut.Batch} into UPDATE messages that each fit the negotiated maximum
 * ({@link WireContext#maxLength()}: 4096, or 65535 with RFC 8654), packing as many prefixes as fit
 * under one attribute set (RFC 4271 section 9.2: prefixes sharing attributes may share an UPDATE).
 * Withdrawals go first, in the classic Withdrawn Routes field for IPv4 and in MP_UNREACH_NLRI
 * otherwise (RFC 4760 section 4); announcements follow, one attribute set at a time. Every prefix
 * appears exactly once. End-of-RIB (RFC 4724 section 2) is {@link #endOfRib}.
 *
 * <p>Sizes are computed, not guessed: the fixed part of each UPDATE is measured with the wire
 * codec, and each prefix adds {@link BgpCodec#prefixSize}. An MP attribute may switch to the
 * two-octet Extended Length form once it passes 255 octets, so one octet is reserved for that.
 */
public final class UpdatePacker {
    private static final int UPDATE_FIXED = BgpCodec.HEADER_LENGTH + 2 + 2; // header, withdrawn len, attrs len
    private static final int MP_UNREACH_FIXED = 4 + 3; // extended-length attribute header, AFI, SAFI

    private UpdatePacker() {}

    public static List<Update> pack(AdjRibOut.Batch batch, WireContext ctx) {
        return pack(batch.family(), batch.announce(), batch.withdraw(), ctx);
    }

    public static List<Update> pack(Family family, Map<AttrSet, List<Prefix>> announce, List<Prefix> withdraw,
                                    WireContext ctx) {
        List<Update> out = new ArrayList<>();
        packWithdrawals(family, withdraw, ctx, out);
        for (Map.Entry<AttrSet, List<Prefix>> e : announce.entrySet()) {
            packAnnouncements(family, e.getKey(), e.getValue(), ctx, out);
        }
        return out;
    }

    public static Update endOfRib(Family family) {
        return Update.endOfRib(family);
    }

    private static void packWithdrawals(Family family, List<Prefix> withdraw, WireContext ctx, List<Update> out) {
        boolean classic = family.equals(Family.IPV4_UNICAST);
        int room = ctx.maxLength() - UPDATE_FIXED - (classic ? 0 : MP_UNREACH_FIXED);
        for (List<Prefix> chunk : chunks(withdraw, room, ctx)) {
            out.add(classic ? new Update(chunk, List.of(), List.of())
                    : new Update(List.of(), List.of(new MpUnreach(family, chunk)), List.of()));
        }
    }

    private static void packAnnouncements(Family family, AttrSet attrs, List<Prefix> prefixes, WireContext ctx,
                                          List<Update> out) {
        boolean mp = attrs.usesMpReach(family);
        int fixed = UPDATE_FIXED + BgpCodec.attributesSize(attrs.toWire(family, List.of()), ctx) + (mp ? 1 : 0);
        int room = ctx.maxLength() - fixed;
        if (room < 1 + 4 + (family.addressLength() + (ctx.addPath(family) ? 4 : 0))) {
            throw new IllegalArgumentException("attributes of " + fixed + " octets leave no room for a prefix in a "
                    + ctx.maxLength() + "-octet UPDATE: " + attrs);
        }
        for (List<Prefix> chunk : chunks(prefixes, room, ctx)) {
            out.add(mp ? new Update(List.of(), attrs.toWire(family, chunk), List.of())
                    : new Update(List.of(), attrs.toWire(family, List.of()), chunk));
        }
    }

    /** Splits {@code prefixes} into runs whose encoded sizes sum to at most {@code room}. */
    private static List<List<Prefix>> chunks(List<Prefix> prefixes, int room, WireContext ctx) {
        List<List<Prefix>> out = new ArrayList<>();
        int start = 0;
        int used = 0;
        for (int i = 0; i < prefixes.size(); i++) {
            int size = BgpCodec.prefixSize(prefixes.get(i), ctx);
            if (used + size > room) {
                out.add(prefixes.subList(start, i));
                start = i;
                used = 0;
            }
            used += size;
        }
        if (start < prefixes.size()) {
            out.add(prefixes.subList(start, prefixes.size()));
        }
        return out;
    }
}
