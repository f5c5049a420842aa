package io.tabby.cni.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Build time only: the AOT cache's training run ({@code build-install.sh}). A JDK 25 cache is
 * recorded from one JVM run, and the client takes one of two paths per call, so this run takes
 * both in turn: ADD and DEL through a live service ({@code args[0]}, the build's fake service),
 * then ADD, STATUS and VERSION with the service unreachable ({@code args[1]}). Every class either
 * path loads is then in the cache, pre-parsed and pre-linked.
 */
final class Training {
    private static final byte[] CONF = "{\"cniVersion\":\"1.1.0\",\"name\":\"train\",\"type\":\"tabby\"}"
            .getBytes(StandardCharsets.UTF_8);

    private Training() {}

    public static void main(String[] args) throws IOException {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        // Main reads the process environment itself (a different Map class than the copies below):
        // the classes its lookups load belong in the cache too, or the start reads them from the jimage.
        Client.cniEnv(System.getenv());
        System.getenv().getOrDefault("TABBY_CNI_SOCKET", "");
        // With the cache's archived module graph, SelectorProvider's service lookup walks the boot
        // layer's services catalog through HashMap.values() and an array spliterator; this run
        // builds the module graph itself and never does. Loaded here, the three classes are in the
        // cache; otherwise each start opens the runtime's jimage reader just to load them.
        new java.util.HashMap<>(Map.of("k", "v")).values().iterator().next();
        java.util.Arrays.spliterator(new Object[] {"x"}).tryAdvance(x -> { });
        String[][] calls = {{args[0], "ADD"}, {args[0], "DEL"}, {args[1], "ADD"}, {args[1], "STATUS"}, {args[1], "VERSION"}};
        for (String[] c : calls) {
            // The process environment as Main sees it (System.getenv's classes belong in the cache too).
            Map<String, String> env = new HashMap<>(System.getenv());
            env.putAll(Map.of("TABBY_CNI_SOCKET", c[0], "CNI_COMMAND", c[1], "CNI_CONTAINERID", "train",
                    "CNI_NETNS", "/var/run/netns/train", "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin"));
            int code = Main.run(env, new ByteArrayInputStream(CONF), System.out, sink);
            boolean live = c[0].equals(args[0]);
            if (live != (code == 0) && !c[1].equals("VERSION")) {
                throw new IllegalStateException("training call " + c[1] + " via " + c[0] + " exited " + code);
            }
        }
    }
}
