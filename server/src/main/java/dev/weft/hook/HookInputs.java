package dev.weft.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.JsonataMapping;
import dev.weft.http.ApiException;
import dev.weft.json.Json;
import dev.weft.json.StrictJson;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a webhook request into the flow's start inputs: without a mapping, the JSON body's fields; with one, the
 * JSONata mapping's result over {@code {body, query, headers}} (the body parsed when it is JSON or a form, else its
 * text; header names in lower case). Input that cannot be read is a 4xx naming what is wrong.
 */
final class HookInputs {

    /** How long a mapping may evaluate. */
    static final long MAPPING_TIMEOUT_MILLIS = 1_000;
    private static final Pattern JSON_TYPE = Pattern.compile("application/([a-z0-9!#$&^_.-]+\\+)?json");
    private static final String FORM_TYPE = "application/x-www-form-urlencoded";

    private HookInputs() {}

    /** The request as the mapping sees it, and the start inputs it maps to. */
    static ObjectNode inputs(String mapping, byte[] body, String contentType, Map<String, List<String>> query,
                             Map<String, String> headers) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        boolean json = JSON_TYPE.matcher(type).matches();
        if (mapping == null) {
            if (body.length == 0) return Json.object();
            if (!json) {
                throw new ApiException(ApiException.Kind.UNSUPPORTED_MEDIA_TYPE, "Content-Type", "send the body as "
                        + "application/json (got " + (contentType == null ? "no Content-Type" : "'" + contentType + "'")
                        + "); a webhook with a mapping also reads forms and text");
            }
            JsonNode parsed = parse(body);
            if (!parsed.isObject()) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "body", "must be a JSON object whose fields are"
                        + " the flow's inputs (or give the webhook a mapping)");
            }
            return (ObjectNode) parsed;
        }
        ObjectNode request = Json.object();
        if (body.length == 0) request.putNull("body");
        else if (json) request.set("body", parse(body));
        else if (type.equals(FORM_TYPE)) request.set("body", formBody(body));
        else request.put("body", new String(body, StandardCharsets.UTF_8));
        ObjectNode queryJson = request.putObject("query");
        query.forEach((name, values) -> {
            if (values.size() == 1) queryJson.put(name, values.get(0));
            else values.forEach(queryJson.putArray(name)::add);
        });
        ObjectNode headerJson = request.putObject("headers");
        headers.forEach((name, value) -> headerJson.put(name.toLowerCase(Locale.ROOT), value));
        JsonNode result;
        try {
            result = JsonataMapping.evaluate(mapping, request, MAPPING_TIMEOUT_MILLIS);
        } catch (JsonataMapping.Failed e) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "mapping", "the webhook's mapping failed on this "
                    + "request: " + e.getMessage());
        }
        if (!result.isObject()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "mapping", "the webhook's mapping must give an "
                    + "object of start inputs (it gave " + (result.isNull() ? "nothing" : result.getNodeType()
                    .toString().toLowerCase(Locale.ROOT)) + " for this request)");
        }
        return (ObjectNode) result;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return StrictJson.parse(body);
        } catch (StrictJson.Refused e) {
            throw new ApiException(e.reason() == StrictJson.Reason.MALFORMED ? ApiException.Kind.MALFORMED_JSON
                    : ApiException.Kind.INVALID_INPUT, e.field(), e.getMessage());
        }
    }

    private static ObjectNode formBody(byte[] body) {
        try {
            return form(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "body", "the form body is not URL-encoded: "
                    + e.getMessage());
        }
    }

    private static ObjectNode form(String text) {
        ObjectNode fields = Json.object();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.put(name, value);
        }
        return fields;
    }
}
