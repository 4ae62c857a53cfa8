package dev.weft.callback;

import dev.weft.http.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.node.NodeException;
import dev.weft.builtin.AddressGuard;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Checks a {@code callback_url}: an absolute http(s) URL whose host passes the same private-address guard as the
 * {@code http} node (loopback, private and link-local addresses are refused unless the operator allows them). It
 * is checked when the task is accepted and again before every delivery.
 */
public final class CallbackTargets {

    public static final String FIELD = "callback_url";
    public static final int URL_MAX = 2048;

    private final AddressGuard guard;

    public CallbackTargets(AddressGuard guard) {
        this.guard = guard;
    }

    /** The URL in the execute body's {@code callback_url}, or null when absent; 400 naming the field otherwise. */
    public URI read(JsonNode value) {
        if (value == null || value.isNull()) return null;
        if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > URL_MAX) {
            throw invalid("must be an absolute http(s) URL of at most " + URL_MAX + " characters");
        }
        URI uri;
        try {
            uri = new URI(value.asText());
        } catch (URISyntaxException e) {
            throw invalid("is not a URL: " + e.getMessage());
        }
        if (!uri.isAbsolute() || uri.getUserInfo() != null) {
            throw invalid("must be an absolute http(s) URL without user info");
        }
        try {
            guard.check(uri);
        } catch (NodeException e) {
            throw invalid(e.getMessage());
        }
        return uri;
    }

    /** Checks a stored URL again before a delivery (a host's addresses may have changed); throws NodeException. */
    public void recheck(URI uri) {
        guard.check(uri);
    }

    private static ApiException invalid(String detail) {
        return new ApiException(ApiException.Kind.INVALID_INPUT, FIELD, detail);
    }
}
