package dev.weft.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.http.ApiException;
import dev.weft.node.Credentials;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a credential's secret from a create or rotate body, by type, into the one string the store seals (the form
 * {@link Credentials.Credential} reads): {@code secret} for {@code api_key} and {@code bearer}; {@code username}
 * and {@code password} for {@code basic} (stored {@code user:password}); {@code headers}, an object of header name
 * to value, for {@code headers} (stored as {@code Name: value} lines). Every wrong field is a 400 naming it.
 */
final class CredentialSecrets {

    static final int HEADERS_MAX = 20;
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    /** Headers the HTTP client sets itself: a credential cannot carry them. */
    private static final Set<String> CLIENT_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private CredentialSecrets() {}

    static String read(Credentials.Type type, ObjectNode body) {
        return switch (type) {
            case API_KEY, BEARER -> text(body, "secret", CredentialsApi.SECRET_MAX_CHARS);
            case BASIC -> basic(body);
            case HEADERS -> headers(body.get("headers"));
        };
    }

    private static String basic(ObjectNode body) {
        String username = text(body, "username", 200);
        if (username.contains(":")) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "username", "must not contain ':' (basic"
                    + " authentication joins user and password with it)");
        }
        return username + ":" + text(body, "password", CredentialsApi.SECRET_MAX_CHARS);
    }

    private static String headers(JsonNode headers) {
        if (headers == null || !headers.isObject() || headers.isEmpty() || headers.size() > HEADERS_MAX) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "headers", "is required: an object of 1 to "
                    + HEADERS_MAX + " header names to values, such as {\"X-Api-Key\": \"...\"}");
        }
        StringBuilder lines = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            String name = header.getKey();
            if (!HEADER_NAME.matcher(name).matches() || CLIENT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "headers." + name,
                        "is not a header name a credential may set (letters, digits and -; not Host or Content-Length)");
            }
            JsonNode value = header.getValue();
            if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > CredentialsApi.SECRET_MAX_CHARS
                    || value.asText().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "headers." + name, "must be a non-empty string"
                        + " on one line, of at most " + CredentialsApi.SECRET_MAX_CHARS + " characters");
            }
            lines.append(name).append(": ").append(value.asText().strip()).append('\n');
        }
        return lines.toString();
    }

    private static String text(ObjectNode body, String field, int max) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty() || value.asText().length() > max) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, field,
                    "is required: a non-empty string of at most " + max + " characters");
        }
        return value.asText();
    }
}
