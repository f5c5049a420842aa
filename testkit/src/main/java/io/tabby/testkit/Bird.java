package io.tabby.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * BIRD 2 running in the foreground inside a lab namespace, with its own config and control
 * socket under the lab's directory. The lab stops it by pid; {@link #daemon()} gives a test the
 * handle for a kill -9.
 */
public final class Bird {
    private final Netns ns;
    private final Path ctl;
    private final Daemon daemon;

    private Bird(Netns ns, Path ctl, Daemon daemon) {
        this.ns = ns;
        this.ctl = ctl;
        this.daemon = daemon;
    }

    /**
     * Writes {@code config} to {@code <lab dir>/<name>.conf}, starts {@code bird -f} in {@code ns}
     * and waits until its control socket answers.
     */
    public static Bird start(Lab lab, Netns ns, String name, String config) {
        return start(lab, ns, name, config, new String[0]);
    }

    /**
     * The same with extra command-line options, e.g. {@code "-R"} (graceful restart recovery: a
     * BIRD restarted after a kill -9 that sets the Restart State and Forwarding State bits). A
     * control socket left by a killed BIRD of the same name is removed first.
     */
    public static Bird start(Lab lab, Netns ns, String name, String config, String... options) {
        Path conf = lab.dir().resolve(name + ".conf");
        Path ctl = lab.dir().resolve(name + ".ctl");
        try {
            Files.writeString(conf, config);
            Files.deleteIfExists(ctl);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> argv = new ArrayList<>(List.of("bird", "-f", "-c", conf.toString(), "-s", ctl.toString()));
        argv.addAll(List.of(options));
        Daemon d = ns.spawn(lab.dir().resolve(name + ".out"), argv.toArray(String[]::new));
        Eventually.await("BIRD control socket " + ctl, Duration.ofSeconds(10), () -> Files.exists(ctl),
                () -> "bird alive: " + d.isAlive() + ", log " + d.log());
        return new Bird(ns, ctl, d);
    }

    /** {@code birdc -s CTL ARGS...}, e.g. {@code birdc("show", "route", "all", "10.244.1.0/26")}. */
    public String birdc(String... args) {
        List<String> argv = new ArrayList<>(List.of("birdc", "-s", ctl.toString()));
        argv.addAll(List.of(args));
        return ns.run(argv.toArray(String[]::new));
    }

    /**
     * The usual BIRD of the BGP tests: router id {@code local}, one iBGP session (passive, hold
     * time 9) named {@code tabby} to {@code neighbour} in AS {@code as}, importing everything and
     * announcing {@code blocks} (static blackholes) with next hop self; {@code options} are added
     * to the session, e.g. {@code "graceful restart on;"}.
     */
    public static String ibgpConfig(String local, String neighbour, long as, String options, String... blocks) {
        StringBuilder routes = new StringBuilder();
        for (String b : blocks) {
            routes.append("route ").append(b).append(" blackhole; ");
        }
        return """
                router id %1$s;
                protocol device {}
                protocol static blocks { ipv4; %5$s}
                protocol bgp tabby {
                  local %1$s as %3$d; neighbor %2$s as %3$d; direct; passive on; hold time 9;
                  %4$s
                  ipv4 { import all; export where source = RTS_STATIC; next hop self; };
                }
                """.formatted(local, neighbour, as, options, routes);
    }

    /** True when BIRD has a route to {@code prefix} via {@code nextHop} (birdc's "Network not found" is false). */
    public boolean hasRoute(String prefix, String nextHop) {
        ExecResult r = ns.exec("birdc", "-s", ctl.toString(), "show", "route", prefix);
        return r.ok() && r.stdout().contains("via " + nextHop);
    }

    /** True when BIRD reports protocol {@code name} Established ({@code show protocols NAME}). */
    public boolean established(String name) {
        return birdc("show", "protocols", name).contains("Established");
    }

    public Daemon daemon() {
        return daemon;
    }
}
