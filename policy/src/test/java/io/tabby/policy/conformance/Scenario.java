package io.tabby.policy.conformance;

import io.tabby.policy.model.Protocol;
import java.util.List;

/** One conformance case: policies (YAML) over the e2e model and the truth tables expected. */
public record Scenario(String name, String policies, List<Check> checks) {

    /** The expected table for one protocol and port. */
    public record Check(Protocol protocol, int port, Truth expected) {}

    @Override
    public String toString() {
        return name;
    }
}
