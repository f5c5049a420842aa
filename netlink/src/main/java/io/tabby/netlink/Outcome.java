package io.tabby.netlink;

import java.util.Optional;

/** What became of one {@link Change} in a batch: done, or the kernel's own error for it. */
public record Outcome(Change change, Optional<NetlinkException> error) {
    public boolean ok() {
        return error.isEmpty();
    }
}
