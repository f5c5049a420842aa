package io.tabby.netlink;

import io.tabby.netlink.sys.Errno;
import io.tabby.netlink.sys.ErrnoException;
import java.util.Optional;

/**
 * The kernel refused a request. Names the operation and the object, gives the errno, and adds
 * the kernel's extended-ACK text when it sent one:
 * {@code RTM_NEWROUTE 10.244.1.0/26 dev cali12345678901: EEXIST (File exists)}.
 */
public final class NetlinkException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String object;
    private final String kernelMessage;

    public NetlinkException(String operation, String object, int errno, Optional<String> kernelMessage) {
        super(operation + " " + object + ": " + Errno.describe(errno)
                + kernelMessage.filter(m -> !m.isBlank()).map(m -> "; kernel: " + m).orElse(""), errno);
        this.operation = operation;
        this.object = object;
        this.kernelMessage = kernelMessage.orElse(null);
    }

    /** The request type, e.g. {@code RTM_NEWROUTE}. */
    public String operation() {
        return operation;
    }

    /** What the request was about, e.g. {@code 10.244.1.0/26 dev cali12345678901}. */
    public String object() {
        return object;
    }

    /** The kernel's extended-ACK message (NLMSGERR_ATTR_MSG), when it gave one. */
    public Optional<String> kernelMessage() {
        return Optional.ofNullable(kernelMessage);
    }
}
