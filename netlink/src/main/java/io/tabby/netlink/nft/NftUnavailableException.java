package io.tabby.netlink.nft;

/** libnftables is not installed or lacks a symbol we bind; the message says what to install. */
public final class NftUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NftUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
