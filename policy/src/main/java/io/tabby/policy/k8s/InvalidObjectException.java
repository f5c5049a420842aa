package io.tabby.policy.k8s;

/**
 * A Kubernetes object we cannot turn into the model, naming the object and the field, e.g.
 * {@code NetworkPolicy x/allow-b: spec.ingress[0].from[1].ipBlock.except[0]: except 10.0.0.0/8
 * is not strictly inside cidr 10.1.0.0/16}.
 */
public final class InvalidObjectException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String object;
    private final String field;

    public InvalidObjectException(String kind, String object, String field, String message) {
        super(kind + " " + object + ": " + (field.isEmpty() ? "" : field + ": ") + message);
        this.kind = kind;
        this.object = object;
        this.field = field;
    }

    public String kind() {
        return kind;
    }

    public String object() {
        return object;
    }

    public String field() {
        return field;
    }
}
