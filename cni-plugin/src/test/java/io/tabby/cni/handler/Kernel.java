package io.tabby.cni.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabby.cni.types.Json;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Netns;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's view through iproute2's JSON output, independent of the code under test, and the
 * guard that the code under test works in a lab namespace and never the test runner's own.
 */
public final class Kernel {
    private Kernel() {}

    public static JsonNode json(String text) {
        return Json.MAPPER.valueToTree(readArray(text));
    }

    private static Object readArray(String text) {
        try {
            return Json.MAPPER.readValue(text.getBytes(StandardCharsets.UTF_8), Object.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("ip -json printed no JSON: " + text, e);
        }
    }

    public static Optional<JsonNode> link(Netns ns, String name) {
        String out = ns.exec("ip", "-json", "-details", "link", "show", "dev", name).stdout();
        if (out.isBlank()) {
            return Optional.empty();
        }
        JsonNode a = json(out);
        return a.isArray() && a.size() == 1 ? Optional.of(a.get(0)) : Optional.empty();
    }

    /** {@code ip -json addr show dev NAME}: the "local/prefixlen" of every address. */
    public static List<String> addresses(Netns ns, String dev) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : json(ns.ip("-json", "addr", "show", "dev", dev))) {
            for (JsonNode a : l.path("addr_info")) {
                out.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt());
            }
        }
        return out;
    }

    /** {@code ip [-6] -json route show [args]}, one JSON object per route. */
    public static List<JsonNode> routes(Netns ns, boolean v6, String... args) {
        List<String> argv = new ArrayList<>(List.of(v6 ? "-6" : "-4", "-json", "route", "show"));
        argv.addAll(List.of(args));
        List<JsonNode> out = new ArrayList<>();
        json(ns.ip(argv.toArray(String[]::new))).forEach(out::add);
        return out;
    }

    public static String sysctl(Netns ns, String key) {
        return ns.run("cat", "/proc/sys/" + key.replace('.', '/')).strip();
    }

    /** Deletes a lab namespace early (a pod sandbox torn down before its DEL); the lab tolerates it. */
    public static void deleteNamespace(Netns ns) {
        try {
            int rc = new ProcessBuilder("ip", "netns", "del", ns.name()).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new IllegalStateException("ip netns del " + ns.name() + " exited " + rc);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens the lab namespace for the code under test, refusing the runner's own namespace. */
    public static NetNs openLabNamespace(Netns ns) {
        NetNs opened = NetNs.openNamed(ns.name());
        if (opened.inode() == NetNs.currentInode()) {
            opened.close();
            throw new IllegalStateException("refusing to run the handler in the test runner's own network namespace");
        }
        return opened;
    }
}
