package io.tabby.bgp.router;

import io.tabby.bgp.config.BgpConfig;
import io.tabby.bgp.server.BgpServer;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The speaker as {@code tabby bgp run} builds it, for the router and interop namespace tests: {@link BgpServer}
 * from YAML with its sockets and netlink inside a lab namespace, the API socket in the lab dir.
 */
public final class Speakers {
    private Speakers() {}

    /** Started; refuses this process's own namespace (the root one in these tests). */
    public static BgpServer server(Lab lab, Netns ns, String yaml) {
        try (NetNs opened = NetNs.open(ns.path())) {
            if (opened.inode() == NetNs.currentInode()) {
                throw new IllegalStateException("refusing to use " + ns + ": it is this process's own namespace");
            }
        }
        String full = "netns: " + ns.path() + "\napiSocket: " + lab.dir().resolve(ns.name() + "-bgp.sock") + "\n" + yaml;
        try {
            Files.writeString(lab.dir().resolve(ns.name() + "-tabby.yaml"), full); // kept with the lab on failure
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BgpServer(BgpConfig.parse(full, "tabby.yaml")).start();
    }
}
