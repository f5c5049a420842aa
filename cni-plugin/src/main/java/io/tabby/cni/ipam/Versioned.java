package io.tabby.cni.ipam;

/** A stored value with the opaque version a compare-and-swap must present (resourceVersion). */
public record Versioned<T>(T value, String version) {}
