/**
 * The rtnetlink wire format, pure: bytes to records and records to bytes, no sockets, no root.
 *
 * <p>In: a {@link java.nio.ByteBuffer} holding one datagram from a NETLINK_ROUTE socket (host
 * byte order). Out: {@link io.tabby.netlink.wire.Frame}s, one per message: an
 * {@link io.tabby.netlink.wire.RtMessage} (nlmsghdr + ifinfomsg/ifaddrmsg/rtmsg/ndmsg +
 * attributes), an {@link io.tabby.netlink.wire.Ack} (NLMSG_ERROR, errno 0 for an ACK, with the
 * extended-ACK message and offset), a {@link io.tabby.netlink.wire.Done} or an
 * {@link io.tabby.netlink.wire.Other}. The reverse direction encodes requests.
 *
 * <pre>
 *  datagram = nlmsg nlmsg ...                       (each at a 4-byte boundary)
 *  nlmsg    = nlmsghdr(16) body(ifinfomsg 16 | ifaddrmsg 8 | rtmsg 12 | ndmsg 12) attr*
 *  attr     = len(u16) type(u16) payload pad        (payload may itself be attr*: nested)
 *  RTA_MULTIPATH payload = (rtnexthop(8) attr*)*
 * </pre>
 *
 * <p>Specifications: RFC 3549 (Linux Netlink as an IP Services Protocol) sections 2.2-2.3 and 3;
 * the kernel UAPI headers {@code linux/netlink.h} (nlmsghdr, nlmsgerr, extended ACK TLVs,
 * NLM_F_* flags), {@code linux/rtnetlink.h} (rtmsg, rtnexthop, RTA_*, ifinfomsg),
 * {@code linux/if_link.h} (IFLA_*), {@code linux/if_addr.h} (ifaddrmsg, IFA_*) and
 * {@code linux/neighbour.h} (ndmsg, NDA_*); Documentation/userspace-api/netlink/intro.rst.
 * Malformed input raises {@link io.tabby.netlink.wire.WireException} and nothing else.
 */
package io.tabby.netlink.wire;
