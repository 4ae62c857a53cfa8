package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.Problems;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * The settings every media node has: where the OpenAI-compatible API is ({@code base_url}), the stored key that
 * opens it ({@code credential}), the {@code model}, the time limit, the retries, and the largest input file.
 *
 * @param baseUrl    the API's root, e.g. {@code https://api.openai.com/v1}
 * @param credential the stored credential's name, or null for a server that needs none
 * @param model      the model asked for
 * @param timeout    the whole attempt's time limit, retries and file transfers included
 * @param maxRetries how many times a 429, a 5xx or a failed connection is tried again
 * @param maxBytes   the largest input file the step sends
 */
record MediaSettings(String baseUrl, String credential, String model, Duration timeout, int maxRetries,
                     long maxBytes) {

    static final String BASE_URL_DEFAULT = "https://api.openai.com/v1";
    static final int MAX_RETRIES_DEFAULT = 2;
    private static final long TIMEOUT_MAX_MILLIS = 600_000;

    /**
     * Checks what the schema cannot say, then the node's own rules ({@code more}): the URL's form and a
     * {@code max_bytes} within the operator's limit. Before rendering ({@code unrendered}) placeholders are left.
     */
    static void check(ObjectNode settings, Problems problems, boolean unrendered, long fileMaxBytes,
                      BiConsumer<ObjectNode, Problems> more) {
        JsonNode baseUrl = settings.get("base_url");
        if (baseUrl != null && baseUrl.isTextual() && !Settings.deferred(baseUrl, unrendered)) {
            String wrong = HttpSettings.urlProblem(baseUrl.asText());
            if (wrong != null) problems.add("base_url", wrong);
        }
        Settings.checkMillis(settings.get("timeout_ms"), TIMEOUT_MAX_MILLIS, "timeout_ms", problems, unrendered);
        JsonNode max = settings.get("max_bytes");
        if (!Settings.absent(max) && !Settings.deferred(max, unrendered) && max.isIntegralNumber()
                && max.asLong() > fileMaxBytes) {
            problems.add("max_bytes", "must be at most " + fileMaxBytes + ", this Weft's file size limit (got " + max
                    + ")");
        }
        more.accept(settings, problems);
    }

    /** Reads rendered settings (the registry checked their schema) after the rules; a problem fails the step. */
    static MediaSettings read(ObjectNode settings, Duration stepTimeout, String defaultModel,
                              long fileMaxBytes, long defaultMaxBytes, BiConsumer<ObjectNode, Problems> more) {
        Problems problems = new Problems();
        check(settings, problems, false, fileMaxBytes, more);
        Settings.throwIfAny(problems);
        String model = text(settings, "model");
        return new MediaSettings(text(settings, "base_url"), text(settings, "credential"),
                model == null ? defaultModel : model,
                settings.path("timeout_ms").isIntegralNumber() ? Duration.ofMillis(settings.get("timeout_ms").asLong())
                        : stepTimeout,
                settings.path("max_retries").asInt(MAX_RETRIES_DEFAULT),
                settings.path("max_bytes").isIntegralNumber() ? settings.get("max_bytes").asLong()
                        : Math.min(defaultMaxBytes, fileMaxBytes));
    }

    /** {@code <base_url>/<path>}. */
    java.net.URI endpoint(String path) {
        return MediaClient.endpoint(baseUrl, BASE_URL_DEFAULT, path);
    }

    /** An optional text setting: null when absent or JSON null. */
    static String text(JsonNode settings, String name) {
        JsonNode value = settings.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }
}
