package dev.gpt2java.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The fields of one JSON request object, each read with its type and range checked: a wrong one is a 400 naming
 * the field ({@link ApiException#invalid}). A field that is absent or JSON {@code null} is "not given". Fields
 * nobody read are refused by {@link #refuseUnread()}, so a misspelt option is an error, not silently ignored.
 */
final class JsonFields {

    private final JsonNode object;
    private final Set<String> read = new HashSet<>();

    private JsonFields(JsonNode object) {
        this.object = object;
    }

    /** The fields of {@code body}, which must be a JSON object. */
    static JsonFields of(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid(null, "the request body must be a JSON object, was " + kind(body));
        }
        return new JsonFields(body);
    }

    /** The field's value, or null if absent or JSON null. */
    JsonNode get(String name) {
        read.add(name);
        JsonNode v = object.get(name);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String name) {
        JsonNode v = object.get(name);
        return v != null && !v.isNull();
    }

    /** A required field's value. */
    JsonNode require(String name) {
        JsonNode v = get(name);
        if (v == null) {
            throw ApiException.invalid(name, "'" + name + "' is required");
        }
        return v;
    }

    /** An integer in {@code min..max}, or {@code otherwise} when not given. */
    int integer(String name, int min, int max, int otherwise) {
        JsonNode v = get(name);
        return v == null ? otherwise : toInt(name, v, min, max);
    }

    /** Any 64-bit integer, or null when not given. */
    Long longInteger(String name) {
        JsonNode v = typed(name, n -> n.isIntegralNumber() && n.canConvertToLong(), "a 64-bit integer");
        return v == null ? null : v.longValue();
    }

    /** A finite number in {@code [min, max]}, or {@code otherwise} when not given. */
    double number(String name, double min, double max, double otherwise) {
        JsonNode v = typed(name, JsonNode::isNumber, "a number");
        if (v == null) {
            return otherwise;
        }
        double d = v.doubleValue();
        if (!(d >= min && d <= max)) {
            throw ApiException.invalid(name, "'" + name + "' must be in [" + fmt(min) + ", " + fmt(max) + "], was " + v);
        }
        return d;
    }

    boolean bool(String name, boolean otherwise) {
        JsonNode v = typed(name, JsonNode::isBoolean, "true or false");
        return v == null ? otherwise : v.booleanValue();
    }

    /** A string, or null when not given. */
    String string(String name) {
        JsonNode v = typed(name, JsonNode::isTextual, "a string");
        return v == null ? null : v.textValue();
    }

    /** The field's value, or null when not given; one that is not {@code what} ({@code is}) is a 400 naming it. */
    private JsonNode typed(String name, Predicate<JsonNode> is, String what) {
        JsonNode v = get(name);
        if (v != null && !is.test(v)) {
            throw ApiException.invalid(name, "'" + name + "' must be " + what + ", was " + kind(v));
        }
        return v;
    }

    /** The fields given that no one read: an unknown field is a 400 naming it. */
    void refuseUnread() {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            String name = e.getKey();
            if (!read.contains(name)) {
                throw ApiException.invalid(name, "unrecognized request argument supplied: " + name);
            }
        }
    }

    /** {@code v} as an int in {@code min..max}; {@code what} names it in the error (a field, or field[i]). */
    static int toInt(String what, JsonNode v, int min, int max) {
        if (!v.isIntegralNumber()) {
            throw ApiException.invalid(what, "'" + what + "' must be an integer, was " + kind(v));
        }
        if (!v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw ApiException.invalid(what, "'" + what + "' must be in " + min + ".." + max + ", was " + v);
        }
        return v.intValue();
    }

    /** What a value is, for messages: "a string", "an array", "the number 1.5", ... */
    static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "missing";
        }
        JsonNodeType t = v.getNodeType();
        return switch (t) {
            case STRING -> "a string";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case BOOLEAN -> v.booleanValue() ? "true" : "false";
            case NULL -> "null";
            case NUMBER -> "the number " + v;
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
