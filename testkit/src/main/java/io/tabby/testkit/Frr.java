package io.tabby.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * FRR's bgpd running alone ({@code -Z}: no zebra) inside a lab namespace, its config, pid, log and
 * vty socket in {@code <lab dir>/<name>/}. bgpd drops to the {@code frr} user and must be able to
 * reach and write that directory, so the lab directory is handed to {@code frr}; running it with
 * {@code -u root} instead fails on the vty group check (lab-environment.md section 3).
 */
public final class Frr {
    private final Netns ns;
    private final Path dir;
    private final Daemon daemon;

    private Frr(Netns ns, Path dir, Daemon daemon) {
        this.ns = ns;
        this.dir = dir;
        this.daemon = daemon;
    }

    /** Writes {@code bgpdConf}, starts bgpd in {@code ns} and waits until its vty socket exists. */
    public static Frr startBgpd(Lab lab, Netns ns, String name, String bgpdConf) {
        Path dir = lab.dir().resolve(name);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("bgpd.conf"), bgpdConf);
            Files.deleteIfExists(dir.resolve("bgpd.vty")); // left by a bgpd of the same name killed with -9
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ns.run("chown", "-R", "frr:frr", lab.dir().toString());
        Daemon d = ns.spawn(dir.resolve("bgpd.out"), "/usr/lib/frr/bgpd", "-Z",
                "-f", dir.resolve("bgpd.conf").toString(), "-i", dir.resolve("bgpd.pid").toString(),
                "--vty_socket", dir.toString(), "-P", "0", "--log", "file:" + dir.resolve("bgpd.log"));
        Eventually.await("FRR bgpd vty socket in " + dir, Duration.ofSeconds(10), () -> Files.exists(dir.resolve("bgpd.vty")),
                () -> "bgpd alive: " + d.isAlive() + ", log " + dir.resolve("bgpd.log"));
        return new Frr(ns, dir, d);
    }

    /** One vtysh command against this bgpd, e.g. {@code vtysh("show bgp ipv4 unicast json")}. */
    public String vtysh(String command) {
        return ns.run("vtysh", "--vty_socket", dir.toString(), "-c", command);
    }

    /** True when bgpd reports the session with {@code neighbor} Established. */
    public boolean established(String neighbor) {
        return vtysh("show bgp neighbor " + neighbor + " json").contains("\"bgpState\":\"Established\"");
    }

    public Path dir() {
        return dir;
    }

    public Daemon daemon() {
        return daemon;
    }
}
