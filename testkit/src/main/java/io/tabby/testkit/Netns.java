package io.tabby.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One network namespace made by a {@link Lab}. Commands run inside it through
 * {@code ip netns exec}; long-lived servers started with {@link #spawn} are stopped when the lab
 * closes.
 */
public final class Netns {
    private final Lab lab;
    private final String name;

    Netns(Lab lab, String name) {
        this.lab = lab;
        this.name = name;
    }

    /** The namespace's name as {@code ip netns list} shows it. */
    public String name() {
        return name;
    }

    /** The bind-mounted namespace file, e.g. for CNI_NETNS or {@code setns}. */
    public Path path() {
        return Path.of("/run/netns", name);
    }

    /** Runs a command inside this namespace and returns its result, whatever the exit code. */
    public ExecResult exec(String... argv) {
        return Commands.run(wrap(List.of(argv)), null, Commands.DEFAULT_TIMEOUT);
    }

    /** Runs a command inside this namespace with the given standard input. */
    public ExecResult execWithInput(String stdin, String... argv) {
        return Commands.run(wrap(List.of(argv)), stdin, Commands.DEFAULT_TIMEOUT);
    }

    /** Runs a command inside this namespace; returns its stdout or throws naming the failure. */
    public String run(String... argv) {
        return exec(argv).orThrow().stdout();
    }

    /** {@code ip -n NAME ARGS...}: iproute2 aimed at this namespace without entering it. */
    public String ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", name));
        argv.addAll(List.of(args));
        return Commands.run(argv, null, Commands.DEFAULT_TIMEOUT).orThrow().stdout();
    }

    /** Writes a sysctl inside this namespace, e.g. {@code sysctl("net.ipv4.ip_forward", "1")}. */
    public void sysctl(String key, String value) {
        run("sysctl", "-qw", key + "=" + value);
    }

    /** One ICMP echo to {@code address}, waiting at most {@code timeout}; true when answered. */
    public boolean ping(String address, Duration timeout) {
        long seconds = Math.max(1, timeout.toSeconds());
        String flag = address.contains(":") ? "-6" : "-4";
        return exec("ping", flag, "-c", "1", "-W", Long.toString(seconds), address).ok();
    }

    /**
     * Starts a long-lived process inside this namespace (a BGP daemon, a socat server), its
     * output appended to {@code log}. The lab stops it, by its pid, when it closes.
     */
    public Daemon spawn(Path log, String... argv) {
        return lab.spawn(this, log, wrap(List.of(argv)));
    }

    List<String> wrap(List<String> argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(argv);
        return full;
    }

    @Override
    public String toString() {
        return name;
    }
}
