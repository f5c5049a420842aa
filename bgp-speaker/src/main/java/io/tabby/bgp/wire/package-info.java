/**
 * BGP-4 wire format: bytes in, immutable message values out, and back.
 *
 * <pre>
 *  TCP bytes -> BgpFrameDecoder (marker/length, RFC 4271 6.1) -> BgpCodec.decode -> DecodeResult
 *                                                                   Success(message, notes, treatAsWithdraw)
 *                                                                   Failure(NotificationCode, data, reason)
 *  BgpMessage -> BgpEncoder -> BgpCodec.encode -> TCP bytes
 * </pre>
 *
 * <p>Implements: RFC 4271 sections 4 and 6 (messages, error handling), RFC 7606 (revised UPDATE
 * error handling: treat-as-withdraw, attribute discard), RFC 4760 (MP_REACH/MP_UNREACH), RFC
 * 5492 (capabilities; unknown ones kept), RFC 6793 (4-octet AS, AS4_PATH merge in {@link
 * io.tabby.bgp.wire.As4}), RFC 2918/7313 (route refresh, enhanced), RFC 4724 (graceful restart
 * capability), RFC 8950 (extended next hop capability and IPv6 next hops for IPv4 NLRI), RFC
 * 7911 (ADD-PATH path identifiers), RFC 8654 (extended messages), RFC 9072 (extended optional
 * parameters length), RFC 1997/4360/8092 (communities), RFC 4456 (ORIGINATOR_ID, CLUSTER_LIST),
 * RFC 9003 (shutdown communication).
 *
 * <p>Per-session facts that change the byte layout travel as a {@link
 * io.tabby.bgp.wire.WireContext} parameter, so every function here is stateless and
 * transport-free. ByteBufs never leave this package: records hold {@link io.tabby.bgp.wire.Bytes}.
 * Path attributes are one table, {@link io.tabby.bgp.wire.AttributeCodec} (after BIRD's
 * {@code bgp_attr_table}).
 */
package io.tabby.bgp.wire;
