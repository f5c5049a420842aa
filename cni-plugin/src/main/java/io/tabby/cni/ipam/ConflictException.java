package io.tabby.cni.ipam;

/**
 * A compare-and-swap lost: the object changed (or appeared, or vanished) since it was read. The
 * caller re-reads and re-plans; nothing was written.
 */
public final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
