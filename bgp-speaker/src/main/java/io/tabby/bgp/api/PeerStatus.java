package io.tabby.bgp.api;

import java.util.List;

/**
 * One neighbour as {@code tabby bgp peers} shows it: the session (state, how long in it, the last
 * error or NOTIFICATION) joined with the RIB's view (families, prefixes by direction, UPDATE
 * counts). {@code received} is -1 when the neighbour's Adj-RIB-In is not kept; counts are 0 for a
 * neighbour whose session never came up.
 *
 * @param uptimeSeconds seconds since the session became Established, or since it left it when down
 * @param lastError the last transition to Idle ("NOTIFICATION_RECEIVED: Cease/...", "HOLD_TIMER_EXPIRED: ...")
 * @param lastEvent the RIB's last rejection or max-prefix event (including a Cease 6/1 we sent)
 */
public record PeerStatus(String address, long as, String kind, boolean rrClient, String state, long uptimeSeconds,
                         List<String> families, long received, long accepted, long advertised, long rejected,
                         long updatesIn, long updatesOut, long transitions, String lastError, String lastEvent) {
    public PeerStatus {
        families = List.copyOf(families);
    }

    /** {@code tabby bgp peers}: one line per neighbour, in the style of {@code birdc show protocols}. */
    public static String table(List<PeerStatus> peers) {
        String fmt = "%-26s %10s %-12s %9s %-24s %8s %8s %10s %7s %7s  %s%n";
        var sb = new StringBuilder(String.format(fmt, "NEIGHBOUR", "AS", "STATE", "UPTIME", "FAMILIES", "RECEIVED",
                "ACCEPTED", "ADVERTISED", "UPD-IN", "UPD-OUT", "LAST ERROR"));
        for (PeerStatus p : peers) {
            String last = p.lastEvent().isEmpty() ? p.lastError() : p.lastError().isEmpty() ? p.lastEvent()
                    : p.lastError() + "; " + p.lastEvent();
            sb.append(String.format(fmt, p.address() + (p.rrClient() ? " (rr)" : ""), p.as() < 0 ? "-" : Long.toString(p.as()),
                    p.state(), duration(p.uptimeSeconds()), p.families().isEmpty() ? "-" : String.join(",", p.families()),
                    p.received() < 0 ? "-" : Long.toString(p.received()), p.accepted(), p.advertised(), p.updatesIn(),
                    p.updatesOut(), last.isEmpty() ? "-" : last));
        }
        return sb.toString();
    }

    /** 1d02h03m, 2h03m04s, 3m04s, 4s. */
    static String duration(long s) {
        if (s < 0) {
            return "-";
        }
        long d = s / 86400;
        long h = s / 3600 % 24;
        long m = s / 60 % 60;
        long sec = s % 60;
        if (d > 0) {
            return String.format("%dd%02dh%02dm", d, h, m);
        }
        if (h > 0) {
            return String.format("%dh%02dm%02ds", h, m, sec);
        }
        return m > 0 ? String.format("%dm%02ds", m, sec) : sec + "s";
    }
}
