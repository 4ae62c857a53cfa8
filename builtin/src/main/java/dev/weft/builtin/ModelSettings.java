package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.Problems;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code model} node's settings: checked against the rules its schema cannot say, and read once rendered.
 *
 * @param baseUrl        the prediction API's base, without a trailing slash
 * @param credential     the stored credential holding the API token, or null
 * @param model          {@code owner/name} of an official model (created at {@code /models/owner/name/predictions}),
 *                       or null when a version is given
 * @param version        the version id to run (created at {@code /predictions}), or null
 * @param input          the model's input, rendered
 * @param waitSeconds    seconds of {@code Prefer: wait}, or null to poll from the start
 * @param inlineMaxBytes the largest Weft file sent inline as a data URL
 * @param maxRetries     how often a 429 or 5xx answer is tried again
 * @param timeout        the limit of the whole prediction (the step's {@code timeout_ms})
 */
record ModelSettings(String baseUrl, String credential, String model, String version, ObjectNode input,
                     Integer waitSeconds, long inlineMaxBytes, int maxRetries, Duration timeout) {

    static final String BASE_URL_DEFAULT = "https://api.replicate.com/v1";
    /** Replicate recommends data URLs for files under about 1 MB; a larger one goes as a URL. */
    static final long INLINE_MAX_BYTES_DEFAULT = 1024 * 1024;
    static final int MAX_RETRIES_DEFAULT = 2;
    /** {@code owner/name}, optionally {@code :version} as Replicate's clients write it. */
    static final Pattern MODEL = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)/([A-Za-z0-9][A-Za-z0-9._-]*)(?::([A-Za-z0-9]+))?");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9]+");

    /** Checks what the schema cannot say: one of model or version, their forms, the URL's form. */
    static void check(ObjectNode settings, Problems problems, boolean unrendered) {
        JsonNode baseUrl = settings.get("base_url");
        if (baseUrl != null && baseUrl.isTextual() && !Settings.deferred(baseUrl, unrendered)) {
            String wrong = HttpSettings.urlProblem(baseUrl.asText());
            if (wrong != null) problems.add("base_url", wrong);
        }
        JsonNode model = settings.get("model");
        JsonNode version = settings.get("version");
        boolean hasModel = !Settings.absent(model) && !(model.isTextual() && model.asText().isBlank());
        boolean hasVersion = !Settings.absent(version) && !(version.isTextual() && version.asText().isBlank());
        if (!hasModel && !hasVersion) {
            problems.add("model", "is required unless version is given (owner/name, e.g. black-forest-labs/flux-schnell)");
        }
        if (hasModel && model.isTextual() && !Settings.deferred(model, unrendered)
                && !MODEL.matcher(model.asText().trim()).matches()) {
            problems.add("model", "must be owner/name or owner/name:version (got '" + model.asText() + "')");
        }
        if (hasVersion && version.isTextual() && !Settings.deferred(version, unrendered)
                && !VERSION.matcher(version.asText().trim()).matches()) {
            problems.add("version", "must be a version id: letters and digits (got '" + version.asText() + "')");
        }
    }

    /** Reads rendered settings; throws a {@code settings} failure when they are wrong once rendered. */
    static ModelSettings read(ObjectNode rendered, Duration stepTimeout, long fileMaxBytes) {
        Problems problems = new Problems();
        check(rendered, problems, false);
        long inline = rendered.path("inline_max_bytes").asLong(Math.min(INLINE_MAX_BYTES_DEFAULT, fileMaxBytes));
        if (inline > fileMaxBytes) {
            problems.add("inline_max_bytes", "must be at most " + fileMaxBytes + ", this Weft's file size limit (got "
                    + inline + ")");
        }
        Settings.throwIfAny(problems);
        String base = rendered.path("base_url").asText(BASE_URL_DEFAULT).trim();
        if (base.isEmpty()) base = BASE_URL_DEFAULT;
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        String model = text(rendered, "model");
        String version = text(rendered, "version");
        if (model != null) {
            Matcher m = MODEL.matcher(model);
            m.matches();   // checked above
            model = m.group(1) + "/" + m.group(2);
            if (m.group(3) != null && version == null) version = m.group(3);   // owner/name:version runs that version
        }
        JsonNode input = rendered.get("input");
        return new ModelSettings(base, text(rendered, "credential"), version != null ? null : model, version,
                input != null && input.isObject() ? (ObjectNode) input : Json.object(),
                rendered.path("wait").isIntegralNumber() ? rendered.get("wait").asInt() : null, inline,
                rendered.path("max_retries").asInt(MAX_RETRIES_DEFAULT), stepTimeout);
    }

    /** Where a prediction is created: the model's own endpoint, or the versions' one. */
    URI createEndpoint() {
        return URI.create(model != null ? baseUrl + "/models/" + model + "/predictions" : baseUrl + "/predictions");
    }

    /** What to call the model in messages. */
    String name() {
        return model != null ? model : "version " + version;
    }

    private static String text(JsonNode settings, String name) {
        JsonNode value = settings.get(name);
        if (value == null || value.isNull()) return null;
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }
}
