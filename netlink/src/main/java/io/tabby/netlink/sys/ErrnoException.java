package io.tabby.netlink.sys;

/**
 * A failed system call or kernel request: the errno as a number and as an {@link Errno}, in a
 * message that names what was being done to what.
 */
public class ErrnoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public ErrnoException(String message, int code) {
        super(message);
        this.code = code;
    }

    public ErrnoException(String message, int code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The errno as the kernel returned it, positive. */
    public int code() {
        return code;
    }

    public Errno errno() {
        return Errno.of(code);
    }

    /** A failed system call: {@code what: EEXIST (File exists)}. */
    public static ErrnoException of(String what, int code) {
        return new ErrnoException(what + ": " + Errno.describe(code), code);
    }
}
