package dev.weft.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import io.javalin.http.Context;

/** Reads request bodies: JSON only, within the size limit, malformed input named with its position. */
public final class Bodies {

    private Bodies() {}

    /** The body as a JSON object; an empty body is {@code {}} when {@code emptyAllowed}. */
    public static ObjectNode object(Context ctx, boolean emptyAllowed) {
        String contentType = ctx.contentType();
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            if (emptyAllowed) return Json.object();
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "body", "a JSON object body is required");
        }
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            throw new ApiException(ApiException.Kind.UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                    "send the body as application/json (got " + (contentType == null ? "none" : contentType) + ")");
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            // Jackson's message may end with where an unclosed array or object began, in its own source notation
            String reason = e.getOriginalMessage().replaceFirst("\\s*\\(start marker at \\[Source:.*$", "");
            throw new ApiException(ApiException.Kind.MALFORMED_JSON, "body", "the body is not valid JSON" + where
                    + ": " + reason);
        } catch (java.io.IOException e) {
            throw new ApiException(ApiException.Kind.MALFORMED_JSON, "body", "the body could not be read");
        }
        if (body == null || !body.isObject()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "body", "the body must be a JSON object");
        }
        return (ObjectNode) body;
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
