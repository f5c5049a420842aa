package io.tabby.policy.eval;

import io.tabby.policy.model.Cidr;
import io.tabby.policy.model.Endpoint;

/** One end of a connection: a pod, or an address that is not a pod (a node, an outside host). */
public sealed interface Party {
    Cidr.Address address();

    String describe();

    record Pod(Endpoint endpoint) implements Party {
        @Override
        public Cidr.Address address() {
            return Cidr.Address.parse(endpoint.ip());
        }

        @Override
        public String describe() {
            return endpoint.key();
        }
    }

    /** A non-pod address; {@code node} names the node when the address is one of its own. */
    record Host(String ip, String node) implements Party {
        public Host {
            Cidr.Address.parse(ip);
        }

        @Override
        public Cidr.Address address() {
            return Cidr.Address.parse(ip);
        }

        @Override
        public String describe() {
            return node == null ? ip : "node " + node + " (" + ip + ")";
        }
    }
}
