package io.tabby.testkit;

import java.util.List;

/** What a namespace test needs from the machine; missing pieces fail loudly, never skip. */
final class Preconditions {
    private Preconditions() {}

    static void requireRootAndIproute2() {
        ExecResult id = Commands.run(List.of("id", "-u"), null, Commands.DEFAULT_TIMEOUT);
        if (!id.ok() || !id.stdout().strip().equals("0")) {
            throw new IllegalStateException("namespace tests need root (they create network namespaces); "
                    + "run them through .ci/run or as root. Pure tests alone: ./mvnw test");
        }
        ExecResult ip = Commands.run(List.of("ip", "-V"), null, Commands.DEFAULT_TIMEOUT);
        if (!ip.ok()) {
            throw new IllegalStateException("namespace tests need iproute2 (`ip`); install it with .ci/install-packages");
        }
    }
}
