package io.tabby.cli;

import picocli.CommandLine;

/** Reports the version Maven stamped into the jar's manifest ("dev" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"tabby " + version(), "java " + Runtime.version()};
    }

    static String version() {
        String v = Tabby.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
