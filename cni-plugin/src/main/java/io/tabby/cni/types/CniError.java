package io.tabby.cni.types;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The spec's error object ({@code {cniVersion, code, msg, details}}), thrown as an exception so a
 * command can stop anywhere and the dispatcher prints it. Codes below 100 are the spec's
 * (SPEC.md "Error"); 100 and above are ours.
 */
public final class CniError extends RuntimeException {
    public static final int INCOMPATIBLE_VERSION = 1;
    public static final int UNSUPPORTED_FIELD = 2;
    public static final int UNKNOWN_CONTAINER = 3;
    public static final int INVALID_ENVIRONMENT = 4;
    public static final int IO_FAILURE = 5;
    public static final int DECODE_FAILURE = 6;
    public static final int INVALID_NETWORK_CONFIG = 7;
    public static final int TRY_AGAIN_LATER = 11;
    public static final int PLUGIN_NOT_AVAILABLE = 50;
    public static final int PLUGIN_NOT_AVAILABLE_LIMITED_CONNECTIVITY = 51;
    /** Ours: the IP pools have no address left for this pod. */
    public static final int IPAM_EXHAUSTED = 100;
    /** Ours: the kernel refused a change (netlink error). */
    public static final int DATAPLANE_FAILURE = 101;
    /** Ours: CHECK found the container's network differs from its result. */
    public static final int CHECK_FAILED = 102;
    /** Ours: the datastore (Kubernetes API) failed. */
    public static final int DATASTORE_FAILURE = 103;

    private final int code;
    private final String msg;
    private final String details;

    public CniError(int code, String msg, String details) {
        super(msg + (details == null || details.isEmpty() ? "" : ": " + details));
        this.code = code;
        this.msg = msg;
        this.details = details == null ? "" : details;
    }

    public CniError(int code, String msg) {
        this(code, msg, "");
    }

    public int code() {
        return code;
    }

    public String msg() {
        return msg;
    }

    public String details() {
        return details;
    }

    /** The JSON object as the spec prints it on stdout, at the request's version. */
    public String toJson(String cniVersion) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("cniVersion", cniVersion == null || cniVersion.isEmpty() ? CniVersion.CURRENT : cniVersion);
        n.put("code", code);
        n.put("msg", msg);
        if (!details.isEmpty()) {
            n.put("details", details);
        }
        return n.toString();
    }
}
