package io.tabby.bgp.interop;

import io.tabby.bgp.router.Speakers;
import io.tabby.bgp.server.BgpServer;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Two namespaces on one veth: {@code spk} (our speaker, in this JVM, its sockets opened inside
 * the namespace) at 10.0.0.1 / fd00::1, and {@code rtr} (BIRD, FRR or GoBGP) at 10.0.0.2 / fd00::2.
 */
final class Topology {
    static final String SPK4 = "10.0.0.1";
    static final String RTR4 = "10.0.0.2";
    static final String SPK6 = "fd00::1";
    static final String RTR6 = "fd00::2";

    final Lab lab;
    final Netns spk;
    final Netns rtr;

    Topology(Lab lab) {
        this.lab = lab;
        spk = lab.netns("spk");
        rtr = lab.netns("rtr");
        lab.link(spk, SPK4 + "/24", rtr, RTR4 + "/24");
        spk.ip("-6", "addr", "add", SPK6 + "/64", "dev", "eth0", "nodad");
        rtr.ip("-6", "addr", "add", RTR6 + "/64", "dev", "eth0", "nodad");
    }

    Path write(String name, String text) {
        try {
            Path p = lab.dir().resolve(name);
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts our speaker from YAML with {@code netns} pointing at the spk namespace. */
    BgpServer speaker(String yaml) {
        return Speakers.server(lab, spk, yaml);
    }
}
