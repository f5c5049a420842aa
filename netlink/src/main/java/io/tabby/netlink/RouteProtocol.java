package io.tabby.netlink;

/**
 * Who installed a route ({@code rtm_protocol}). Tabby marks every route it creates with its own
 * number so that a sweep removes only ours; see {@code /etc/iproute2/rt_protos} for the
 * well-known values.
 */
public record RouteProtocol(int value) {
    /** In a delete or a dump filter: any protocol. */
    public static final RouteProtocol UNSPEC = new RouteProtocol(0);
    public static final RouteProtocol REDIRECT = new RouteProtocol(1);
    public static final RouteProtocol KERNEL = new RouteProtocol(2);
    public static final RouteProtocol BOOT = new RouteProtocol(3);
    public static final RouteProtocol STATIC = new RouteProtocol(4);
    public static final RouteProtocol BIRD = new RouteProtocol(12);
    public static final RouteProtocol BGP = new RouteProtocol(186);

    public RouteProtocol {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("route protocol out of range 0..255: " + value);
        }
    }

    /** The name {@code ip -json route} prints for the well-known ones, else the number. */
    public String label() {
        return switch (value) {
            case 0 -> "unspec";
            case 1 -> "redirect";
            case 2 -> "kernel";
            case 3 -> "boot";
            case 4 -> "static";
            case 12 -> "bird";
            case 186 -> "bgp";
            default -> Integer.toString(value);
        };
    }

    @Override
    public String toString() {
        return label();
    }
}
