/**
 * The operating-system edge of the netlink module: libc through JNA direct mapping (sockets,
 * {@code setns}, {@code unshare}, {@code mount}) and errno as a typed value.
 *
 * <p>In: file descriptors, direct byte buffers, paths. Out: return values, or an
 * {@link io.tabby.netlink.sys.ErrnoException} whose message names the call and the object and
 * whose {@link io.tabby.netlink.sys.Errno} says why (errno numbers per Linux
 * {@code asm-generic/errno-base.h} and {@code errno.h}). Nothing here keeps state; callers own
 * their descriptors and close them.
 */
package io.tabby.netlink.sys;
