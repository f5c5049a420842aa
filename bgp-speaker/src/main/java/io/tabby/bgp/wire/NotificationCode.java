package io.tabby.bgp.wire;

/**
 * NOTIFICATION error codes and subcodes, named as the IANA "BGP Error (Notification) Codes" and
 * "Subcodes" registries name them (RFC 4271 section 4.5, RFC 4486 and RFC 8203/9003 for Cease,
 * RFC 5492 for 2/7, RFC 7313 for 7/x). Subcode 0 is each code's "unspecific" entry.
 */
public enum NotificationCode {
    MESSAGE_HEADER_ERROR(1, 0),
    CONNECTION_NOT_SYNCHRONIZED(1, 1),
    BAD_MESSAGE_LENGTH(1, 2),
    BAD_MESSAGE_TYPE(1, 3),

    OPEN_MESSAGE_ERROR(2, 0),
    UNSUPPORTED_VERSION_NUMBER(2, 1),
    BAD_PEER_AS(2, 2),
    BAD_BGP_IDENTIFIER(2, 3),
    UNSUPPORTED_OPTIONAL_PARAMETER(2, 4),
    UNACCEPTABLE_HOLD_TIME(2, 6),
    UNSUPPORTED_CAPABILITY(2, 7),

    UPDATE_MESSAGE_ERROR(3, 0),
    MALFORMED_ATTRIBUTE_LIST(3, 1),
    UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE(3, 2),
    MISSING_WELL_KNOWN_ATTRIBUTE(3, 3),
    ATTRIBUTE_FLAGS_ERROR(3, 4),
    ATTRIBUTE_LENGTH_ERROR(3, 5),
    INVALID_ORIGIN_ATTRIBUTE(3, 6),
    INVALID_NEXT_HOP_ATTRIBUTE(3, 8),
    OPTIONAL_ATTRIBUTE_ERROR(3, 9),
    INVALID_NETWORK_FIELD(3, 10),
    MALFORMED_AS_PATH(3, 11),

    HOLD_TIMER_EXPIRED(4, 0),

    FSM_ERROR(5, 0),
    FSM_UNEXPECTED_MESSAGE_IN_OPENSENT(5, 1),
    FSM_UNEXPECTED_MESSAGE_IN_OPENCONFIRM(5, 2),
    FSM_UNEXPECTED_MESSAGE_IN_ESTABLISHED(5, 3),

    CEASE(6, 0),
    MAXIMUM_NUMBER_OF_PREFIXES_REACHED(6, 1),
    ADMINISTRATIVE_SHUTDOWN(6, 2),
    PEER_DE_CONFIGURED(6, 3),
    ADMINISTRATIVE_RESET(6, 4),
    CONNECTION_REJECTED(6, 5),
    OTHER_CONFIGURATION_CHANGE(6, 6),
    CONNECTION_COLLISION_RESOLUTION(6, 7),
    OUT_OF_RESOURCES(6, 8),
    HARD_RESET(6, 9),
    BFD_DOWN(6, 10),

    ROUTE_REFRESH_MESSAGE_ERROR(7, 0),
    INVALID_MESSAGE_LENGTH(7, 1);

    private final int code;
    private final int subcode;

    NotificationCode(int code, int subcode) {
        this.code = code;
        this.subcode = subcode;
    }

    public int code() {
        return code;
    }

    public int subcode() {
        return subcode;
    }

    /** The named entry for a code/subcode pair, or null when the registry has none we know. */
    public static NotificationCode of(int code, int subcode) {
        for (NotificationCode c : values()) {
            if (c.code == code && c.subcode == subcode) {
                return c;
            }
        }
        return null;
    }

    /** "6/2 ADMINISTRATIVE_SHUTDOWN" */
    @Override
    public String toString() {
        return code + "/" + subcode + " " + name();
    }
}
