package io.tabby.policy.ir;

import io.tabby.policy.model.Protocol;
import java.util.List;

/**
 * A named port resolved on every pod that defines it: (pod IP, port number) pairs for one
 * (name, protocol). Matched against (destination address, destination port), so the name
 * always resolves on the destination pod (netpol-semantics.md 1.6).
 */
public record PortSet(String name, Protocol protocol, List<Member> members, String comment) {
    public PortSet {
        members = List.copyOf(members);
    }

    /** One pod address and the number its container port has. */
    public record Member(String ip, int port) implements Comparable<Member> {
        @Override
        public int compareTo(Member o) {
            int c = ip.compareTo(o.ip);
            return c != 0 ? c : Integer.compare(port, o.port);
        }
    }
}
