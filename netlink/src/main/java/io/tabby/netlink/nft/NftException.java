package io.tabby.netlink.nft;

/**
 * libnftables refused a command buffer. The message is nft's own error text (the same lines
 * {@code nft -f} prints to stderr, with the offending input and a caret under it); nothing of the
 * buffer was committed, because nft sends a buffer as one transaction.
 */
public final class NftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String nftError;

    NftException(String what, String nftError) {
        super(what + ": " + (nftError.isBlank() ? "nft failed without an error message" : nftError.strip()));
        this.nftError = nftError;
    }

    /** nft's error text exactly as it produced it. */
    public String nftError() {
        return nftError;
    }
}
