package io.tabby.testkit;

/** A pod namespace: its address, the node it lives on and the host-side veth that leads to it. */
public record Pod(Netns netns, String ip, Node node, String hostVeth) {}
