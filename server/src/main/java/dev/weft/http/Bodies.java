package dev.weft.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.json.StrictJson;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads request bodies: JSON only ({@code application/json} or an {@code application/*+json} type, UTF-8), within
 * the size limit, parsed strictly by {@link StrictJson} (one value, valid UTF-8, finite numbers), malformed input
 * named with its position.
 */
public final class Bodies {

    /** {@code application/json} and the structured-syntax {@code +json} types (RFC 6839), parameters aside. */
    private static final Pattern JSON_TYPE = Pattern.compile("application/([a-z0-9!#$&^_.-]+\\+)?json");
    private static final Pattern CHARSET = Pattern.compile("(?i)^\\s*charset\\s*=\\s*\"?([^\";\\s]*)\"?\\s*$");

    private Bodies() {}

    /**
     * The body as a JSON object. {@code scadeExecute}: the leniency of Scade's execute endpoint, whose clients may
     * send no body (read as {@code {}}), no {@code Content-Type}, or {@code text/plain} (both read as JSON: Python's
     * {@code requests.post(url, data=json.dumps(...))} sends no type, a browser's {@code fetch} of a string sends
     * {@code text/plain}); every other endpoint needs both a body and a JSON type. A body that is not JSON is a 400
     * whatever its type said.
     */
    public static ObjectNode object(Context ctx, boolean scadeExecute) {
        String contentType = ctx.header("Content-Type");
        byte[] bytes = ctx.bodyAsBytes();
        if (!scadeExecute || !(contentType == null || isPlainText(contentType))) checkType(contentType, bytes.length);
        if (bytes.length == 0) {
            if (scadeExecute) return Json.object();
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "body", "a JSON object body is required");
        }
        JsonNode body;
        try {
            body = StrictJson.parse(bytes);
        } catch (StrictJson.Refused e) {
            throw new ApiException(e.reason() == StrictJson.Reason.MALFORMED ? ApiException.Kind.MALFORMED_JSON
                    : ApiException.Kind.INVALID_INPUT, e.field(), e.getMessage());
        }
        if (!body.isObject()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "body", "the body must be a JSON object");
        }
        return (ObjectNode) body;
    }

    /** Whether {@code contentType} is {@code text/plain}, in UTF-8 or with no charset (read as JSON by execute). */
    private static boolean isPlainText(String contentType) {
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("text/plain")) return false;
        for (int i = 1; i < parts.length; i++) {
            var charset = CHARSET.matcher(parts[i]);
            if (charset.matches() && !charset.group(1).equalsIgnoreCase("utf-8")) return false;
        }
        return true;
    }

    /** 415 naming {@code Content-Type} unless it is a JSON type in UTF-8; an empty body needs no type. */
    private static void checkType(String contentType, int length) {
        if (length == 0) return;   // nothing to read, so nothing to misread
        if (contentType == null) {
            throw unsupported("send the body as application/json (got no Content-Type)");
        }
        String[] parts = contentType.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!JSON_TYPE.matcher(type).matches()) {
            throw unsupported("send the body as application/json or an application/*+json type (got '"
                    + contentType + "')");
        }
        for (int i = 1; i < parts.length; i++) {
            var charset = CHARSET.matcher(parts[i]);
            if (charset.matches() && !charset.group(1).equalsIgnoreCase("utf-8")) {
                throw unsupported("JSON is read as UTF-8 only (got charset '" + charset.group(1) + "')");
            }
        }
    }

    private static ApiException unsupported(String detail) {
        return new ApiException(ApiException.Kind.UNSUPPORTED_MEDIA_TYPE, "Content-Type", detail);
    }

    /** A positive integer path parameter, or 404 naming it (ids that cannot exist do not exist). */
    public static long id(Context ctx, String name, String what) {
        String raw = ctx.pathParam(name);
        try {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        } catch (NumberFormatException ignored) {
            // falls through to the 404 below
        }
        throw new ApiException(ApiException.Kind.NOT_FOUND, name, what + " '" + raw + "' does not exist (ids are positive integers)");
    }
}
