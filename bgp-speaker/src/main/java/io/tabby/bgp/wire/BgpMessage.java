package io.tabby.bgp.wire;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The five BGP-4 message types (RFC 4271 section 4, RFC 2918/7313 for ROUTE-REFRESH) as
 * immutable values. Wire framing and byte layouts live in {@link BgpCodec}.
 */
public sealed interface BgpMessage {
    int TYPE_OPEN = 1;
    int TYPE_UPDATE = 2;
    int TYPE_NOTIFICATION = 3;
    int TYPE_KEEPALIVE = 4;
    int TYPE_ROUTE_REFRESH = 5;

    int type();

    /**
     * OPEN (RFC 4271 section 4.2). {@code myAs} is the 2-octet field as sent, which is AS_TRANS
     * (23456) when the real AS does not fit; {@link #asNumber()} gives the real one.
     */
    record Open(int version, int myAs, int holdTime, Inet4Address bgpId, List<Capability> capabilities)
            implements BgpMessage {
        public static final int AS_TRANS = 23456;

        public Open {
            capabilities = List.copyOf(capabilities);
        }

        public int type() {
            return TYPE_OPEN;
        }

        /** The 4-octet AS from the capability (RFC 6793), else the 2-octet field. */
        public long asNumber() {
            return capability(Capability.FourOctetAs.class).map(Capability.FourOctetAs::as).orElse((long) myAs);
        }

        public <C extends Capability> Optional<C> capability(Class<C> type) {
            return capabilities.stream().filter(type::isInstance).map(type::cast).findFirst();
        }

        public <C extends Capability> List<C> all(Class<C> type) {
            return capabilities.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /**
     * UPDATE (RFC 4271 section 4.3). Classic IPv4 NLRI in {@code withdrawn} and {@code nlri};
     * other families travel in MP_REACH_NLRI / MP_UNREACH_NLRI attributes (RFC 4760).
     */
    record Update(List<Prefix> withdrawn, List<PathAttribute> attributes, List<Prefix> nlri) implements BgpMessage {
        public Update {
            withdrawn = List.copyOf(withdrawn);
            attributes = List.copyOf(attributes);
            nlri = List.copyOf(nlri);
        }

        public int type() {
            return TYPE_UPDATE;
        }

        public <A extends PathAttribute> Optional<A> attribute(Class<A> type) {
            for (PathAttribute a : attributes) {
                if (type.isInstance(a)) {
                    return Optional.of(type.cast(a));
                }
            }
            return Optional.empty();
        }

        /** End-of-RIB marker (RFC 4724 section 2): empty UPDATE for IPv4, empty MP_UNREACH otherwise. */
        public Optional<Family> endOfRib() {
            if (!withdrawn.isEmpty() || !nlri.isEmpty()) {
                return Optional.empty();
            }
            if (attributes.isEmpty()) {
                return Optional.of(Family.IPV4_UNICAST);
            }
            if (attributes.size() == 1 && attributes.getFirst() instanceof PathAttribute.MpUnreach u
                    && u.withdrawn().isEmpty()) {
                return Optional.of(u.family());
            }
            return Optional.empty();
        }

        public static Update endOfRib(Family f) {
            return f.equals(Family.IPV4_UNICAST)
                    ? new Update(List.of(), List.of(), List.of())
                    : new Update(List.of(), List.of(new PathAttribute.MpUnreach(f, List.of())), List.of());
        }
    }

    /** NOTIFICATION (RFC 4271 section 4.5). Codes we do not know stay as numbers. */
    record Notification(int code, int subcode, Bytes data) implements BgpMessage {
        public int type() {
            return TYPE_NOTIFICATION;
        }

        public static Notification of(NotificationCode c, Bytes data) {
            return new Notification(c.code(), c.subcode(), data);
        }

        public static Notification of(NotificationCode c) {
            return of(c, Bytes.EMPTY);
        }

        /**
         * A Cease with a Shutdown Communication (RFC 9003 section 2): one length octet then up to
         * 255 octets of UTF-8, truncated on a character boundary if longer. Only meaningful for
         * subcodes 2 (administrative shutdown) and 4 (administrative reset).
         */
        public static Notification shutdown(NotificationCode c, String message) {
            if (message == null || message.isEmpty()) {
                return of(c);
            }
            byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
            int n = Math.min(255, utf8.length);
            while (n > 0 && n < utf8.length && (utf8[n] & 0xc0) == 0x80) {
                n--; // do not cut a multi-byte character in half
            }
            byte[] data = new byte[n + 1];
            data[0] = (byte) n;
            System.arraycopy(utf8, 0, data, 1, n);
            return of(c, Bytes.of(data));
        }

        public NotificationCode known() {
            return NotificationCode.of(code, subcode);
        }

        /** The RFC 9003 Shutdown Communication if this is 6/2 or 6/4 and carries a valid one. */
        public Optional<String> shutdownMessage() {
            if (code != 6 || (subcode != 2 && subcode != 4) || data.length() < 1) {
                return Optional.empty();
            }
            int n = data.get(0);
            if (n == 0 || n + 1 > data.length()) {
                return Optional.empty();
            }
            byte[] all = data.toArray();
            var decoder = StandardCharsets.UTF_8.newDecoder();
            try {
                return Optional.of(decoder.decode(java.nio.ByteBuffer.wrap(all, 1, n)).toString());
            } catch (java.nio.charset.CharacterCodingException e) {
                return Optional.empty(); // RFC 9003 section 2: invalid UTF-8 is logged as hex, not shown
            }
        }

        @Override
        public String toString() {
            NotificationCode k = known();
            String name = k == null ? code + "/" + subcode : k.toString();
            return "Notification[" + name + shutdownMessage().map(m -> " \"" + m + "\"").orElse("")
                    + (data.length() > 0 ? " data=" + data : "") + "]";
        }
    }

    /** KEEPALIVE (RFC 4271 section 4.4): the header alone. */
    record Keepalive() implements BgpMessage {
        public static final Keepalive INSTANCE = new Keepalive();

        public int type() {
            return TYPE_KEEPALIVE;
        }
    }

    /** ROUTE-REFRESH (RFC 2918); {@code subtype} 0 normal, 1 BoRR, 2 EoRR (RFC 7313 section 3.2). */
    record RouteRefresh(Family family, int subtype) implements BgpMessage {
        public static final int NORMAL = 0;
        public static final int BEGIN = 1;
        public static final int END = 2;

        public int type() {
            return TYPE_ROUTE_REFRESH;
        }
    }
}
