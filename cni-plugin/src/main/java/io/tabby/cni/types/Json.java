package io.tabby.cni.types;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one shared, immutable-after-construction JSON mapper, and strict field readers. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}

    /** Parses bytes as one JSON object; anything else is the spec's decode error (code 6). */
    public static JsonNode parseObject(byte[] bytes, String what) {
        JsonNode n;
        try {
            n = MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new CniError(CniError.DECODE_FAILURE, "failed to decode " + what, oneLine(e));
        }
        if (n == null || !n.isObject()) {
            throw new CniError(CniError.DECODE_FAILURE, "failed to decode " + what, "not a JSON object");
        }
        return n;
    }

    public static String text(JsonNode obj, String field, String dflt) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "field '" + field + "' must be a string", n.toString());
        }
        return n.asText();
    }

    public static int integer(JsonNode obj, String field, int dflt) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "field '" + field + "' must be an integer", n.toString());
        }
        return n.asInt();
    }

    public static boolean bool(JsonNode obj, String field, boolean dflt) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isTextual() && (n.asText().equals("true") || n.asText().equals("false"))) {
            return Boolean.parseBoolean(n.asText());
        }
        throw new CniError(CniError.INVALID_NETWORK_CONFIG, "field '" + field + "' must be a boolean", n.toString());
    }

    public static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
