package io.tabby.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A disposable test bed of network namespaces. Everything it makes is named
 * {@code tabbyt-<pid>-<tag>-<role>} and is deleted by {@link #close()}, which a test reaches
 * through try-with-resources or the {@link NetnsTest} extension even when it fails. Opening a lab
 * first sweeps namespaces whose creating JVM is dead, so a crashed run does not poison the next.
 *
 * <p>Typical use, a two-node Calico-style cluster on one fabric:
 * <pre>{@code
 * Fabric fabric = lab.fabric();
 * Node n1 = lab.node("n1", fabric, "10.99.0.11/24", "10.99.0.1");
 * Pod a = n1.pod("a", "10.244.1.2");
 * }</pre>
 */
public final class Lab implements AutoCloseable {
    /** Every namespace a lab makes starts with this; nothing else is ever swept. */
    public static final String PREFIX = "tabbyt-";

    private static final Pattern OURS = Pattern.compile("^" + Pattern.quote(PREFIX) + "(\\d+)-");

    private final String tag;
    private final Path dir;
    private final List<Netns> namespaces = new ArrayList<>();
    private final List<Daemon> daemons = new ArrayList<>();
    private final Set<String> roles = new HashSet<>();
    private boolean closed;

    private Lab(String tag, Path dir) {
        this.tag = tag;
        this.dir = dir;
    }

    /** Checks the machine can host a lab, sweeps stale namespaces of dead runs, opens a lab. */
    public static Lab open() {
        Preconditions.requireRootAndIproute2();
        sweepStale();
        String tag = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        try {
            Path dir = Files.createTempDirectory("tabby-lab-" + tag + "-");
            return new Lab(tag, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the lab's scratch directory", e);
        }
    }

    /** A scratch directory for this lab's configs, sockets and logs. */
    public Path dir() {
        return dir;
    }

    /** Creates an empty namespace with {@code lo} up. {@code role} is unique within the lab. */
    public Netns netns(String role) {
        checkOpen();
        if (!role.matches("[a-z0-9][a-z0-9-]{0,30}") || !roles.add(role)) {
            throw new IllegalArgumentException("namespace role must be unique, lowercase alphanumeric: " + role);
        }
        String name = PREFIX + ProcessHandle.current().pid() + "-" + tag + "-" + role;
        Commands.run(List.of("ip", "netns", "add", name), null, Commands.DEFAULT_TIMEOUT).orThrow();
        Netns ns = new Netns(this, name);
        namespaces.add(ns);
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    /**
     * Joins two namespaces with a veth pair, both ends up and without addresses. The pair is
     * created inside {@code a} with its peer placed straight into {@code b}, so it never exists
     * in the root namespace.
     */
    public void veth(Netns a, String ifA, Netns b, String ifB) {
        a.ip("link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b.name());
        a.ip("link", "set", ifA, "up");
        b.ip("link", "set", ifB, "up");
    }

    /**
     * The one-link topology most BGP tests start from: {@code a} and {@code b} joined by a veth
     * pair named {@code eth0} on both sides, each end given its address ({@code 10.0.0.1/24}).
     */
    public void link(Netns a, String cidrA, Netns b, String cidrB) {
        veth(a, "eth0", b, "eth0");
        a.ip("addr", "add", cidrA, "dev", "eth0");
        b.ip("addr", "add", cidrB, "dev", "eth0");
    }

    /** A namespace holding one bridge, {@code br0}: the L2 underlay that nodes and routers join. */
    public Fabric fabric() {
        Netns ns = netns("fabric");
        ns.ip("link", "add", "br0", "type", "bridge");
        ns.ip("link", "set", "br0", "up");
        return new Fabric(this, ns);
    }

    /**
     * A node: a namespace with {@code eth0} on the fabric at {@code cidr}, IPv4 forwarding on and
     * a default route via {@code gateway}. The default route is not decoration: proxy ARP for the
     * pods' 169.254.1.1 gateway only answers when the node has a route to that address through
     * another interface.
     */
    public Node node(String role, Fabric fabric, String cidr, String gateway) {
        Netns ns = fabric.host(role, cidr);
        ns.sysctl("net.ipv4.ip_forward", "1");
        ns.ip("route", "add", "default", "via", gateway, "dev", "eth0");
        return new Node(this, ns, cidr.substring(0, cidr.indexOf('/')));
    }

    Daemon spawn(Netns ns, Path log, List<String> argv) {
        checkOpen();
        try {
            Process p = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            Daemon d = new Daemon(p, log, String.join(" ", argv));
            daemons.add(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv + " in " + ns, e);
        }
    }

    /** Stops every daemon, then deletes every namespace; the scratch directory goes too. */
    @Override
    public void close() {
        close(false);
    }

    /**
     * As {@link #close()}, but with {@code keepDir} the scratch directory (configs and daemon
     * logs) is left for a failed test's post-mortem, and its path is printed.
     */
    public void close(boolean keepDir) {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (Daemon d : daemons.reversed()) {
            try {
                d.stop(Duration.ofSeconds(3));
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        for (Netns ns : namespaces.reversed()) {
            try {
                delete(ns.name());
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (keepDir) {
            System.err.println("lab files kept for inspection: " + dir);
        } else {
            deleteTree(dir);
        }
        if (first != null) {
            throw first;
        }
    }

    /** Names of namespaces this lab created that still exist; empty after {@link #close()}. */
    public List<String> remainingNamespaces() {
        List<String> live = listNamespaces();
        return namespaces.stream().map(Netns::name).filter(live::contains).toList();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("lab is closed");
        }
    }

    /** Kills what still runs inside the namespace (only processes a lab of ours put there), then deletes it. */
    private static void delete(String name) {
        ExecResult pids = Commands.run(List.of("ip", "netns", "pids", name), null, Commands.DEFAULT_TIMEOUT);
        if (pids.ok()) {
            pids.stdout().lines().map(String::strip).filter(s -> !s.isEmpty())
                    .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
        }
        ExecResult del = Commands.run(List.of("ip", "netns", "del", name), null, Commands.DEFAULT_TIMEOUT);
        if (!del.ok() && listNamespaces().contains(name)) {
            del.orThrow();
        }
    }

    static List<String> listNamespaces() {
        ExecResult r = Commands.run(List.of("ip", "netns", "list"), null, Commands.DEFAULT_TIMEOUT).orThrow();
        return r.stdout().lines().map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty()).toList();
    }

    /** Deletes namespaces with our prefix whose creating JVM is no longer alive. */
    static void sweepStale() {
        for (String name : listNamespaces()) {
            Matcher m = OURS.matcher(name);
            if (!m.find()) {
                continue;
            }
            long pid = Long.parseLong(m.group(1));
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (!alive) {
                delete(name);
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
