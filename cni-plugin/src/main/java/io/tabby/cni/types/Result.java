package io.tabby.cni.types;

import java.net.InetAddress;
import java.util.List;

/**
 * A CNI result in the spec's 1.1.0 model; {@link ResultCodec} writes it at older versions. Optional
 * numbers are {@code null} when absent.
 */
public record Result(List<Interface> interfaces, List<IpConfig> ips, List<Route> routes, Dns dns) {
    public Result {
        interfaces = List.copyOf(interfaces);
        ips = List.copyOf(ips);
        routes = List.copyOf(routes);
        dns = dns == null ? Dns.EMPTY : dns;
    }

    /** {@code sandbox} is the netns path for container-side interfaces, empty for host-side ones. */
    public record Interface(String name, String mac, Integer mtu, String sandbox) {}

    /** {@code interfaceIndex} points into {@link Result#interfaces()}. */
    public record IpConfig(IpNet address, InetAddress gateway, Integer interfaceIndex) {}

    public record Route(IpNet dst, InetAddress gw, Integer mtu, Integer advmss, Integer priority, Integer table, Integer scope) {
        public static Route to(IpNet dst, InetAddress gw) {
            return new Route(dst, gw, null, null, null, null, null);
        }
    }

    public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {
        public static final Dns EMPTY = new Dns(List.of(), null, List.of(), List.of());

        public Dns {
            nameservers = List.copyOf(nameservers);
            search = List.copyOf(search);
            options = List.copyOf(options);
        }

        public boolean isEmpty() {
            return nameservers.isEmpty() && domain == null && search.isEmpty() && options.isEmpty();
        }
    }
}
