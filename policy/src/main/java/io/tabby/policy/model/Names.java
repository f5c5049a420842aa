package io.tabby.policy.model;

import java.util.regex.Pattern;

/** Name checks shared by the model's records. */
final class Names {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");

    private Names() {}

    static void checkDnsLabel(String what, String s) {
        if (s == null || !DNS_LABEL.matcher(s).matches()) {
            throw new IllegalArgumentException("invalid " + what + " \"" + s + "\"");
        }
    }

    static void checkDnsSubdomain(String what, String s) {
        if (s == null || !DNS_SUBDOMAIN.matcher(s).matches()) {
            throw new IllegalArgumentException("invalid " + what + " \"" + s + "\"");
        }
    }

    /** IANA_SVC_NAME: at most 15 characters, lower-case alphanumerics and '-', with a letter. */
    static void checkPortName(String s) {
        if (s == null || !PORT_NAME.matcher(s).matches() || !s.matches(".*[a-z].*") || s.contains("--")) {
            throw new IllegalArgumentException("invalid port name \"" + s + "\"");
        }
    }

    static void checkPort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " " + port + " out of range 1-65535");
        }
    }
}
