package io.tabby.policy.model;

/** The direction a policy isolates; also used for the direction of a rule or a verdict. */
public enum PolicyType {
    Ingress, Egress;

    public static PolicyType parse(String s) {
        for (PolicyType t : values()) {
            if (t.name().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown policy type \"" + s + "\" (expected Ingress or Egress)");
    }
}
