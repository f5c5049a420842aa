package io.tabby.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code tabby version}: the build's version and the JVM it runs on. */
@Command(name = "version", description = "Print the Tabby version and the Java runtime.")
final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (String line : new VersionProvider().getVersion()) {
            System.out.println(line);
        }
        return 0;
    }
}
