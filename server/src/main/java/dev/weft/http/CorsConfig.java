package dev.weft.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which web origins may call the run API from a browser ({@value #ENV}: comma-separated exact origins such as
 * {@code https://app.example.com,http://localhost:5173}, or {@code *} for any). None by default: no CORS headers
 * at all, so browsers keep other sites' pages from reading Weft's answers.
 *
 * @param origins the allowed origins, normalised ({@code scheme://host[:port]}, lower case, default port dropped)
 * @param any     whether every origin is allowed ({@code *})
 */
public record CorsConfig(List<String> origins, boolean any) {

    public static final String ENV = "WEFT_CORS_ORIGINS";
    public static final CorsConfig NONE = new CorsConfig(List.of(), false);

    public CorsConfig {
        origins = List.copyOf(origins);
    }

    /** Allows exactly {@code origins} (each checked and normalised as {@link #parse} does). */
    public static CorsConfig allowing(String... origins) {
        return parse(String.join(",", origins));
    }

    /** The setting from the environment; {@link #NONE} when unset. */
    public static CorsConfig fromEnvironment(Map<String, String> env) {
        String raw = env.get(ENV);
        return raw == null || raw.isBlank() ? NONE : parse(raw);
    }

    /**
     * Reads a comma-separated list of origins, or {@code *}.
     *
     * @throws IllegalArgumentException naming {@value #ENV} and the entry that is not an origin
     */
    public static CorsConfig parse(String raw) {
        List<String> origins = new ArrayList<>();
        boolean any = false;
        for (String part : raw.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) continue;
            if (entry.equals("*")) {
                any = true;
            } else {
                String origin = normalise(entry);
                if (origin == null) {
                    throw new IllegalArgumentException(ENV + ": '" + entry + "' is not an origin; write scheme://host[:port]"
                            + " with no path, such as https://app.example.com (or * for any origin)");
                }
                if (!origins.contains(origin)) origins.add(origin);
            }
        }
        return new CorsConfig(origins, any);
    }

    /** Whether any origin is allowed at all. */
    public boolean enabled() {
        return any || !origins.isEmpty();
    }

    /** Whether a request's {@code Origin} header value is allowed. */
    public boolean allows(String origin) {
        if (origin == null || !enabled()) return false;
        if (any) return true;
        String normalised = normalise(origin);
        return normalised != null && origins.contains(normalised);
    }

    /** {@code scheme://host[:port]} in lower case without its scheme's default port, or null if it is not an origin. */
    static String normalise(String text) {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) return null;
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (Exception e) {
            return null;
        }
    }
}
