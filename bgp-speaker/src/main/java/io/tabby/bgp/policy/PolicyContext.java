package io.tabby.bgp.policy;

import java.net.InetAddress;

/** What a policy action may need to know about the session it runs for: our AS and our address on it. */
public record PolicyContext(long localAs, InetAddress localAddress) {}
