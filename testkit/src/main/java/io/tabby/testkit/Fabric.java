package io.tabby.testkit;

/** The bridge namespace that nodes and routers hang off, like a top-of-rack switch's L2. */
public final class Fabric {
    private final Lab lab;
    private final Netns ns;
    private int ports;

    Fabric(Lab lab, Netns ns) {
        this.lab = lab;
        this.ns = ns;
    }

    public Netns netns() {
        return ns;
    }

    /** A new namespace {@code role} plugged into the bridge as {@code eth0} with {@code cidr}. */
    public Netns host(String role, String cidr) {
        Netns ns = lab.netns(role);
        attach(ns, "eth0", cidr);
        return ns;
    }

    /**
     * Plugs {@code member} into the bridge: a veth whose fabric end ({@code ulN}) is a bridge port
     * and whose other end is {@code ifname} in {@code member}, with {@code cidr} on it.
     */
    public void attach(Netns member, String ifname, String cidr) {
        String port = "ul" + (++ports);
        lab.veth(ns, port, member, ifname);
        ns.ip("link", "set", port, "master", "br0");
        member.ip("addr", "add", cidr, "dev", ifname);
    }
}
