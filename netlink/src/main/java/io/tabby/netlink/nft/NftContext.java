package io.tabby.netlink.nft;

import com.sun.jna.Pointer;
import io.tabby.netlink.ns.NetNs;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A long-lived libnftables context inside one network namespace. libnftables opens its netlink
 * socket in {@code nft_ctx_new}, so the context is created on the {@link NetNs} worker thread,
 * which has entered the namespace; that same thread does every later call and the final
 * {@code nft_ctx_free}, so the (not thread-safe) context is only ever touched by one thread.
 *
 * <p>What it saves over {@code nft -f} per transaction: a process, {@code ip netns exec}, the
 * library's start-up and a netlink socket. What it does not save: libnftables still fetches a
 * cache of the kernel's objects before it evaluates a buffer, and drops it whenever the
 * ruleset generation moved (our own commit moves it), so the shape of each buffer decides the
 * cost (see io.tabby.policy.render.nft.NftDiff).
 *
 * <p>Thread safety: any thread may call; calls run one at a time on the namespace's thread.
 */
public final class NftContext implements AutoCloseable {
    /** {@code NFT_CTX_OUTPUT_JSON}: {@link #run} output as libnftables' JSON. */
    public static final int OUTPUT_JSON = 1 << 4;

    private final NetNs ns;
    private final boolean ownsNs;
    private final Pointer ctx;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NftContext(NetNs ns, boolean ownsNs, Pointer ctx) {
        this.ns = ns;
        this.ownsNs = ownsNs;
        this.ctx = ctx;
    }

    /**
     * A context inside {@code ns}, which stays open and owned by the caller (close the context
     * before the namespace). Throws {@link NftUnavailableException} when libnftables is missing.
     */
    public static NftContext in(NetNs ns) {
        return create(ns, false);
    }

    /** A context inside the named namespace {@code /run/netns/NAME}, with its own worker thread. */
    public static NftContext inNamed(String name) {
        NetNs ns = NetNs.openNamed(name);
        try {
            return create(ns, true);
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    private static NftContext create(NetNs ns, boolean owns) {
        LibNftables.check();
        Pointer p = ns.call(() -> {
            Pointer c = LibNftables.nft_ctx_new(LibNftables.NFT_CTX_DEFAULT);
            if (c == null) {
                throw new IllegalStateException("nft_ctx_new failed in " + ns + " (cannot open a netfilter netlink socket?)");
            }
            // Output and errors into memory buffers instead of the process's stdout/stderr.
            if (LibNftables.nft_ctx_buffer_output(c) != 0 || LibNftables.nft_ctx_buffer_error(c) != 0) {
                LibNftables.nft_ctx_free(c);
                throw new IllegalStateException("cannot buffer libnftables output in " + ns);
            }
            return c;
        });
        return new NftContext(ns, owns, p);
    }

    /**
     * Runs {@code commands} (nft syntax, as for {@code nft -f}) as one transaction and returns
     * what nft printed (e.g. for {@code list} commands). Throws {@link NftException} carrying
     * nft's error text when it refuses; then nothing of the buffer was applied.
     */
    public String run(String commands) {
        return ns.call(() -> {
            ensureOpen();
            int rc = LibNftables.nft_run_cmd_from_buffer(ctx, commands);
            // Reading a buffer rewinds it, so both are read after every run, success or not.
            String out = text(LibNftables.nft_ctx_get_output_buffer(ctx));
            String err = text(LibNftables.nft_ctx_get_error_buffer(ctx));
            if (rc != 0) {
                throw new NftException("nft refused the transaction in " + ns, err);
            }
            return out;
        });
    }

    /** Like {@link #run} but only parses and evaluates; the kernel is not changed ({@code nft -c}). */
    public void check(String commands) {
        ns.run(() -> {
            ensureOpen();
            LibNftables.nft_ctx_set_dry_run(ctx, true);
            try {
                run(commands);
            } finally {
                LibNftables.nft_ctx_set_dry_run(ctx, false);
            }
        });
    }

    /** Sets libnftables output flags, e.g. {@link #OUTPUT_JSON}. */
    public void outputFlags(int flags) {
        ns.run(() -> {
            ensureOpen();
            LibNftables.nft_ctx_output_set_flags(ctx, flags);
        });
    }

    /** The namespace this context works in. */
    public NetNs netns() {
        return ns;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("nft context in " + ns + " is closed");
        }
    }

    private static String text(Pointer p) {
        return p == null ? "" : p.getString(0, "UTF-8");
    }

    /** Frees the context on its thread; closes the namespace too when the context opened it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            ns.run(() -> LibNftables.nft_ctx_free(ctx));
        } finally {
            if (ownsNs) {
                ns.close();
            }
        }
    }

    @Override
    public String toString() {
        return "nft context in " + ns;
    }
}
