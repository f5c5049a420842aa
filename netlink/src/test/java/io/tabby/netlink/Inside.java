package io.tabby.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one way tests open namespaces and handles: only on a lab namespace, and never if that would
 * be the root namespace (or the test JVM's own).
 */
final class Inside {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Inside() {}

    /** Opens the lab namespace, refusing loudly if it is the root namespace. */
    static NetNs open(Netns labNs) {
        NetNs ns = NetNs.open(labNs.path());
        if (ns.inode() == inode("/proc/self/ns/net") || ns.inode() == NetNs.currentInode()
                || ns.inode() == inode("/proc/1/ns/net")) {
            ns.close();
            throw new IllegalStateException("refusing to work in " + labNs + ": it is the root/own namespace");
        }
        return ns;
    }

    /** The namespace inode a /proc link names; -1 when it cannot be read (pid 1 may be hidden from us). */
    static long inode(String procLink) {
        try {
            String link = Files.readSymbolicLink(Path.of(procLink)).toString();
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        } catch (IOException e) {
            return -1;
        }
    }

    /** An address as iproute2 prints it. */
    static String text(java.net.InetAddress a) {
        return IpPrefix.text(a);
    }

    /** {@code ip -json ARGS...} inside the lab namespace, parsed. */
    static JsonNode ipJson(Netns ns, String... args) {
        String[] argv = new String[args.length + 2];
        argv[0] = "ip";
        argv[1] = "-json";
        System.arraycopy(args, 0, argv, 2, args.length);
        String out = ns.run(argv);
        try {
            return JSON.readTree(out.isBlank() ? "[]" : out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse ip -json output: " + out, e);
        }
    }
}
