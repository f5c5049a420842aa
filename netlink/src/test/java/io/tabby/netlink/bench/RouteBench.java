package io.tabby.netlink.bench;

import io.tabby.netlink.Change;
import io.tabby.netlink.NetlinkHandle;
import io.tabby.netlink.Outcome;
import io.tabby.netlink.Route;
import io.tabby.netlink.RouteFilter;
import io.tabby.netlink.RouteProtocol;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.ExecResult;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Installs then deletes N /32 routes ({@code 10.64.0.0} upwards, {@code dev bench0 proto 250})
 * in a fresh namespace, with our batched API and with {@code ip -n NS -batch FILE}, alternating
 * which goes first, and prints wall-clock milliseconds. Each measurement gets its own namespace,
 * built by the test kit with iproute2 and removed afterwards; the root namespace is not touched.
 *
 * <p>Usage: {@code RouteBench [--reps R] [--warmup N] COUNT...}
 */
public final class RouteBench {
    private static final RouteProtocol BENCH = new RouteProtocol(250);

    private RouteBench() {}

    /** Wall-clock and CPU (user+system, whole process) milliseconds of each phase. */
    record Sample(String tool, int count, double addMs, double delMs, double addCpuMs, double delCpuMs) {}

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static double cpuMs() {
        return OS.getProcessCpuTime() / 1e6;
    }

    public static void main(String[] args) throws Exception {
        int reps = 3;
        int warmup = 10_000;
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> counts.add(Integer.parseInt(args[i]));
            }
        }
        if (counts.isEmpty()) {
            counts = List.of(10_000, 100_000);
        }
        try (Lab lab = Lab.open()) {
            int[] seq = {0};
            if (warmup > 0) {
                ours(lab, "warm", warmup); // JIT warm-up, not recorded
            }
            List<Sample> samples = new ArrayList<>();
            for (int count : counts) {
                for (int r = 0; r < reps; r++) {
                    boolean ipFirst = r % 2 == 0;
                    String tag = count + "-" + (seq[0]++);
                    Sample a = ipFirst ? ip(lab, "i" + tag, count) : ours(lab, "o" + tag, count);
                    Sample b = ipFirst ? ours(lab, "o" + tag, count) : ip(lab, "i" + tag, count);
                    for (Sample s : List.of(a, b)) {
                        samples.add(s);
                        System.out.printf("sample tool=%s routes=%d add_ms=%.1f del_ms=%.1f add_cpu_ms=%.1f del_cpu_ms=%.1f%n",
                                s.tool, s.count, s.addMs, s.delMs, s.addCpuMs, s.delCpuMs);
                    }
                }
            }
            System.out.println();
            System.out.println("| routes | tool | add (median ms) | delete (median ms) | add+delete routes/s | CPU add+delete (median ms) | ip -batch / ours, wall | ip -batch / ours, CPU |");
            System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|");
            for (int count : counts) {
                double ipTotal = 0;
                double ipCpu = 0;
                for (String tool : List.of("ip -batch", "tabby netlink")) {
                    double add = median(samples, tool, count, Sample::addMs);
                    double del = median(samples, tool, count, Sample::delMs);
                    double cpu = median(samples, tool, count, x -> x.addCpuMs() + x.delCpuMs());
                    double total = add + del;
                    boolean anchor = tool.startsWith("ip");
                    if (anchor) {
                        ipTotal = total;
                        ipCpu = cpu;
                    }
                    System.out.printf("| %,d | %s | %.0f | %.0f | %,.0f | %.0f | %s | %s |%n", count, tool, add, del,
                            2 * count / (total / 1000), cpu, anchor ? "1.00" : String.format("%.2f", ipTotal / total),
                            anchor ? "1.00" : String.format("%.2f", ipCpu / cpu));
                }
            }
        }
    }

    private static double median(List<Sample> samples, String tool, int count, java.util.function.ToDoubleFunction<Sample> f) {
        double[] v = samples.stream().filter(s -> s.tool.equals(tool) && s.count == count)
                .mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Netns fresh(Lab lab, String role) {
        Netns n = lab.netns(role);
        n.ip("link", "add", "bench0", "type", "veth", "peer", "name", "bench1");
        n.ip("link", "set", "bench0", "up");
        n.ip("link", "set", "bench1", "up");
        return n;
    }

    private static String dst(int i) {
        return "10." + (64 + (i >> 16)) + "." + ((i >> 8) & 255) + "." + (i & 255) + "/32";
    }

    static Sample ours(Lab lab, String role, int count) {
        Netns n = fresh(lab, role);
        try (NetNs ns = NetNs.open(n.path()); NetlinkHandle h = NetlinkHandle.open(ns)) {
            int dev = h.linkByName("bench0").index();
            List<Change> adds = new ArrayList<>(count);
            List<Change> dels = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Route r = Route.to(dst(i)).dev(dev).protocol(BENCH);
                adds.add(Change.routeAdd(r));
                dels.add(Change.routeDel(r));
            }
            double c0 = cpuMs();
            long t0 = System.nanoTime();
            List<Outcome> added = h.batch(adds);
            long t1 = System.nanoTime();
            double c1 = cpuMs();
            check(added, "add");
            int present = h.routeList(RouteFilter.main().protocol(BENCH)).size();
            if (present != count) {
                throw new IllegalStateException("expected " + count + " routes after add, found " + present);
            }
            double c2 = cpuMs();
            long t2 = System.nanoTime();
            List<Outcome> deleted = h.batch(dels);
            long t3 = System.nanoTime();
            double c3 = cpuMs();
            check(deleted, "delete");
            requireRoutes(n, 0);
            return new Sample("tabby netlink", count, (t1 - t0) / 1e6, (t3 - t2) / 1e6, c1 - c0, c3 - c2);
        }
    }

    static Sample ip(Lab lab, String role, int count) throws IOException {
        Netns n = fresh(lab, role);
        StringBuilder add = new StringBuilder();
        StringBuilder del = new StringBuilder();
        for (int i = 0; i < count; i++) {
            add.append("route add ").append(dst(i)).append(" dev bench0 proto 250\n");
            del.append("route del ").append(dst(i)).append(" dev bench0 proto 250\n");
        }
        Path addFile = lab.dir().resolve(role + "-add.batch");
        Path delFile = lab.dir().resolve(role + "-del.batch");
        Files.writeString(addFile, add);
        Files.writeString(delFile, del);
        double[] added = timeIp(lab, n, addFile);
        requireRoutes(n, count);
        double[] deleted = timeIp(lab, n, delFile);
        requireRoutes(n, 0);
        return new Sample("ip -batch", count, added[0], deleted[0], added[1], deleted[1]);
    }

    /** Wall and CPU milliseconds of one {@code ip -batch} run; CPU as GNU time reports it (user+system). */
    private static double[] timeIp(Lab lab, Netns n, Path batch) {
        Path cpu = lab.dir().resolve(batch.getFileName() + ".time");
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder("/usr/bin/time", "-o", cpu.toString(), "-f", "%U %S",
                    "ip", "-n", n.name(), "-batch", batch.toString())
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            int rc = p.waitFor();
            long t1 = System.nanoTime();
            if (rc != 0) {
                throw new IllegalStateException("ip -batch " + batch + " failed: " + new String(out));
            }
            String[] us = Files.readString(cpu).strip().split("\\s+");
            return new double[] {(t1 - t0) / 1e6, (Double.parseDouble(us[0]) + Double.parseDouble(us[1])) * 1000};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void requireRoutes(Netns n, int expected) {
        ExecResult r = n.exec("sh", "-c", "ip route show proto 250 | wc -l");
        int got = Integer.parseInt(r.orThrow().stdout().strip());
        if (got != expected) {
            throw new IllegalStateException("expected " + expected + " routes in " + n + ", ip shows " + got);
        }
    }

    private static void check(List<Outcome> outcomes, String what) {
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        if (failed > 0) {
            throw new IllegalStateException(failed + " route " + what + "s failed, first: "
                    + outcomes.stream().filter(o -> !o.ok()).findFirst().orElseThrow().error().orElseThrow().getMessage()
                    + " " + Arrays.toString(new int[0]));
        }
    }
}
