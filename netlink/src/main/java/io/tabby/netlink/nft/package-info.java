/**
 * nftables through libnftables (the library the {@code nft} tool is a thin front end of), kept
 * open in one network namespace so that a ruleset update costs one library call, not a process.
 *
 * <p>In: nft command buffers (the syntax of {@code nft -f}, see nft(8)). Out: the text nft
 * prints ({@code list} output), or an {@link io.tabby.netlink.nft.NftException} carrying nft's own
 * error text. Each buffer is one netfilter transaction (NFNL_MSG_BATCH_BEGIN..END): all of it is
 * committed or none.
 *
 * <pre>
 *   caller ──run(buffer)──▶ [netns-NAME thread] nft_run_cmd_from_buffer(ctx, buffer)
 *                                 │ parse → cache fetch (netlink dumps) → evaluate → batch commit
 *          ◀── output / NftException(error buffer) ──┘
 * </pre>
 *
 * <p>The context is created with {@code nft_ctx_new} on the {@link io.tabby.netlink.ns.NetNs}
 * worker thread, which has called {@code setns} into the namespace, because the context's
 * netlink socket is opened there and stays bound to that namespace; all calls and
 * {@code nft_ctx_free} run on that same thread. The C API is libnftables(3) (nftables 0.9+,
 * soname {@code libnftables.so.1}, symbol version LIBNFTABLES_1); a missing library or symbol
 * fails with {@link io.tabby.netlink.nft.NftUnavailableException} when the first context is
 * opened.
 */
package io.tabby.netlink.nft;
