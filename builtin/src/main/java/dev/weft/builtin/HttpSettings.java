package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.Problems;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code http} node's settings, checked (with placeholders at save time, rendered before a run) and read
 * into the first request: method, url plus query, headers, body; and how to treat the answer.
 */
record HttpSettings(Hop request, ResponseMode response, Duration timeout, boolean failOnStatus, Auth auth) {

    /** A stored credential sent with the request: {@code bearer}, {@code basic} (user:password) or a named header. */
    record Auth(String type, String credential, String header) {
        static final List<String> TYPES = List.of("bearer", "basic", "header");

        /** The header that carries the secret. */
        String headerName() {
            return type.equals("header") ? header : "Authorization";
        }

        String headerValue(String secret) {
            return switch (type) {
                case "bearer" -> "Bearer " + secret;
                case "basic" -> "Basic " + java.util.Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
                default -> secret;
            };
        }
    }

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    static final long TIMEOUT_MAX_MILLIS = 600_000;
    /** Headers the JDK client sets itself and refuses to take from a caller. */
    private static final Set<String> CLIENT_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

    static void check(ObjectNode settings, Problems problems, boolean unrendered) {
        JsonNode method = settings.get("method");
        if (!Settings.absent(method) && !Settings.deferred(method, unrendered)
                && !(method.isTextual() && METHODS.contains(method.asText().toUpperCase(Locale.ROOT)))) {
            problems.add("method", "must be one of " + String.join(", ", METHODS) + " (got " + method + ")");
        }
        JsonNode url = settings.get("url");
        if (Settings.requireText(url, "url", problems) && !Settings.deferred(url, unrendered)) {
            String wrong = urlProblem(url.asText());
            if (wrong != null) problems.add("url", wrong);
        }
        checkFields(settings.get("query"), "query", true, problems, unrendered);
        checkFields(settings.get("headers"), "headers", false, problems, unrendered);
        JsonNode response = settings.get("response");
        if (!Settings.absent(response) && !Settings.deferred(response, unrendered)
                && (!response.isTextual() || ResponseMode.named(response.asText()).isEmpty())) {
            problems.add("response", "must be auto, json or text (got " + response + ")");
        }
        Settings.checkMillis(settings.get("timeout_ms"), TIMEOUT_MAX_MILLIS, "timeout_ms", problems, unrendered);
        checkAuth(settings.get("auth"), problems, unrendered);
        JsonNode failOnStatus = settings.get("fail_on_status");
        if (!Settings.absent(failOnStatus) && !Settings.deferred(failOnStatus, unrendered) && !failOnStatus.isBoolean()) {
            problems.add("fail_on_status", "must be true or false (got " + failOnStatus + ")");
        }
    }

    private static void checkAuth(JsonNode auth, Problems problems, boolean unrendered) {
        if (Settings.absent(auth) || Settings.deferred(auth, unrendered)) return;
        if (!auth.isObject()) {
            problems.add("auth", "must be an object with a credential (got " + Settings.describe(auth) + ")");
            return;
        }
        JsonNode type = auth.get("type");
        String kind = Settings.absent(type) ? "bearer" : type.asText();
        if (!Settings.absent(type) && !Settings.deferred(type, unrendered)
                && (!type.isTextual() || !Auth.TYPES.contains(kind))) {
            problems.add("auth.type", "must be one of " + String.join(", ", Auth.TYPES) + " (got " + type + ")");
        }
        Settings.requireText(auth.get("credential"), "auth.credential", problems);
        JsonNode header = auth.get("header");
        if (kind.equals("header")) {
            if (Settings.requireText(header, "auth.header", problems) && !Settings.deferred(header, unrendered)
                    && !header.asText().matches(TOKEN)) {
                problems.add("auth.header", "is not a valid header name");
            }
        }
    }

    /** Reads rendered settings; throws a {@code settings} failure when they are wrong once rendered. */
    static HttpSettings read(ObjectNode settings, Duration defaultTimeout) {
        Problems problems = new Problems();
        check(settings, problems, false);
        Settings.throwIfAny(problems);
        String method = settings.path("method").asText("GET").toUpperCase(Locale.ROOT);
        Map<String, String> headers = new LinkedHashMap<>();
        settings.path("headers").fields().forEachRemaining(h -> {
            if (!Settings.absent(h.getValue())) headers.put(h.getKey(), h.getValue().asText());
        });
        JsonNode body = settings.get("body");
        byte[] bytes = null;
        if (!Settings.absent(body)) {
            bytes = body.isTextual() ? body.asText().getBytes(StandardCharsets.UTF_8) : Json.bytes(body);
            if (headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("content-type"))) {
                headers.put("Content-Type", body.isTextual() ? "text/plain; charset=utf-8" : "application/json");
            }
        }
        URI uri = withQuery(URI.create(settings.get("url").asText()), settings.path("query"));
        Duration timeout = settings.has("timeout_ms") && !settings.get("timeout_ms").isNull()
                ? Duration.ofMillis(settings.get("timeout_ms").asLong()) : defaultTimeout;
        JsonNode auth = settings.get("auth");
        return new HttpSettings(new Hop(method, uri, headers, bytes),
                ResponseMode.named(settings.path("response").asText("auto")).orElse(ResponseMode.AUTO),
                timeout, settings.path("fail_on_status").asBoolean(true), Settings.absent(auth) ? null
                        : new Auth(auth.path("type").asText("bearer"), auth.get("credential").asText(),
                                auth.path("header").asText(null)));
    }

    /** What is wrong with {@code url} as an absolute http(s) URL, or null. */
    static String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "must be an absolute http(s) URL (" + e.getMessage() + ")";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            return "must be an absolute http(s) URL such as https://api.example.com/items (got " + url + ")";
        }
        if (uri.getPort() > 65_535) return "must be an absolute http(s) URL (port " + uri.getPort() + " is out of range)";
        return null;
    }

    /** Checks an object of names to text, numbers or booleans; query values may also be lists of those. */
    private static void checkFields(JsonNode fields, String path, boolean lists, Problems problems,
                                    boolean unrendered) {
        if (Settings.absent(fields) || Settings.deferred(fields, unrendered)) return;
        if (!fields.isObject()) {
            problems.add(path, "must be an object of names to values (got " + Settings.describe(fields) + ")");
            return;
        }
        fields.fields().forEachRemaining(field -> {
            String at = path + "." + field.getKey();
            JsonNode value = field.getValue();
            if (!lists && !field.getKey().matches(TOKEN)) problems.add(at, "is not a valid header name");
            if (!lists && CLIENT_HEADERS.contains(field.getKey().toLowerCase(Locale.ROOT))) {
                problems.add(at, "is set by the HTTP client and cannot be given");
            }
            boolean fits = lists && value.isArray() ? allScalar(value) : Settings.absent(value) || value.isValueNode();
            if (!fits) {
                problems.add(at, "must be text, a number or a boolean" + (lists ? ", or a list of them" : "")
                        + " (got " + Settings.describe(value) + ")");
            } else if (!lists && value.isTextual() && !Settings.deferred(value, unrendered)
                    && (value.asText().contains("\n") || value.asText().contains("\r"))) {
                problems.add(at, "must be on one line");
            }
        });
    }

    private static boolean allScalar(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isValueNode()) return false;
        }
        return true;
    }

    private static URI withQuery(URI uri, JsonNode query) {
        List<String> pairs = new ArrayList<>();
        query.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            for (JsonNode item : value.isArray() ? value : List.of(value)) {
                if (!Settings.absent(item)) pairs.add(encode(field.getKey()) + "=" + encode(item.asText()));
            }
        });
        URI base = Hop.withoutFragment(uri);
        if (pairs.isEmpty()) return base;
        String separator = base.getRawQuery() == null ? "?" : base.getRawQuery().isEmpty() ? "" : "&";
        return URI.create(base + separator + String.join("&", pairs));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
