package io.tabby.netlink.nft;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

/** Binding failures become one clear message, whether the library or a symbol is missing. */
class LibNftablesTest {

    /** The real library on this machine has every function we bind (nftables 1.0.6 here). */
    @Test
    void theInstalledLibraryHasTheAbiWeBind() {
        LibNftables.check();
        assertThat(LibNftables.bind(Real.class, LibNftables.SONAME)).isNull();
    }

    @Test
    void aMissingLibraryIsNamedWithWhatToInstall() {
        Throwable e = LibNftables.bind(Real.class, "libnftables-absent.so.1");
        assertThat(e).isNotNull();
        NftUnavailableException u = LibNftables.unavailable("libnftables-absent.so.1", e);
        assertThat(u).hasMessageContaining("libnftables-absent.so.1").hasMessageContaining("libnftables1").hasCause(e);
    }

    /** A symbol the library lacks (an older ABI) is a binding failure naming the symbol, not a later crash. */
    @Test
    void aMissingSymbolFailsAtBindTime() {
        Throwable e = LibNftables.bind(Newer.class, LibNftables.SONAME);
        assertThat(e).isInstanceOf(UnsatisfiedLinkError.class);
        assertThat(LibNftables.unavailable(LibNftables.SONAME, e)).hasMessageContaining("nft_ctx_from_a_future_abi");
    }

    static final class Real {
        static native Pointer nft_ctx_new(int flags);
    }

    static final class Newer {
        static native int nft_ctx_from_a_future_abi(Pointer ctx);
    }
}
