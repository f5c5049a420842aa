package io.tabby.netlink.nft;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The part of libnftables' public API ({@code nftables/libnftables.h}, symbol version
 * LIBNFTABLES_1, present since nftables 0.9.0) that {@link NftContext} uses, bound by JNA direct
 * mapping. Loading is lazy and checked: when the library or one of these symbols is missing,
 * {@link #check()} throws a {@link NftUnavailableException} saying what to install, instead of a
 * bare {@link UnsatisfiedLinkError} at some later call.
 */
final class LibNftables {
    /** The library's soname; the unversioned {@code libnftables.so} only exists with the -dev package. */
    static final String SONAME = "libnftables.so.1";

    /** {@code NFT_CTX_DEFAULT}: the only flag value nft_ctx_new accepts. */
    static final int NFT_CTX_DEFAULT = 0;

    private static final Throwable LOAD_ERROR = bind(LibNftables.class, SONAME);

    private LibNftables() {}

    /**
     * Binds {@code natives}' native methods to {@code soname}; returns the failure instead of
     * throwing it: a missing library, or a missing symbol (an ABI older than the one we bind).
     */
    static Throwable bind(Class<?> natives, String soname) {
        try {
            Native.register(natives, NativeLibrary.getInstance(soname));
            return null;
        } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
            return e;
        }
    }

    /** Throws when the library could not be bound; call before any native method. */
    static void check() {
        if (LOAD_ERROR != null) {
            throw unavailable(SONAME, LOAD_ERROR);
        }
    }

    static NftUnavailableException unavailable(String soname, Throwable cause) {
        return new NftUnavailableException("cannot use " + soname + " (libnftables ABI 1, nftables >= 0.9; on Debian the "
                + "libnftables1 package, which nftables pulls in): " + cause.getMessage(), cause);
    }

    static native Pointer nft_ctx_new(int flags);

    static native void nft_ctx_free(Pointer ctx);

    static native int nft_ctx_buffer_output(Pointer ctx);

    static native int nft_ctx_buffer_error(Pointer ctx);

    static native Pointer nft_ctx_get_output_buffer(Pointer ctx);

    static native Pointer nft_ctx_get_error_buffer(Pointer ctx);

    static native int nft_ctx_output_get_flags(Pointer ctx);

    static native void nft_ctx_output_set_flags(Pointer ctx, int flags);

    static native void nft_ctx_set_dry_run(Pointer ctx, boolean dry);

    static native int nft_run_cmd_from_buffer(Pointer ctx, String buf);
}
