package io.tabby.policy.model;

/** A container port a pod declares; the name is what a policy's named port resolves against. */
public record ContainerPort(String name, int port, Protocol protocol) {
    public ContainerPort {
        if (name != null) {
            Names.checkPortName(name);
        }
        Names.checkPort("container port", port);
    }
}
