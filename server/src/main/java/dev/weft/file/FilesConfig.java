package dev.weft.file;

import java.net.URI;
import java.util.Map;

/**
 * How Weft keeps files, from the environment: the size limit of an upload and of a {@code files} node's fetch
 * ({@code WEFT_FILE_MAX_BYTES}, default 25 MiB), and the public address that file URLs start with
 * ({@code WEFT_PUBLIC_URL}, such as {@code https://weft.example.com}; default: the address this server listens on).
 */
public record FilesConfig(long maxBytes, String publicUrl) {

    public static final long MAX_BYTES_DEFAULT = 25L * 1024 * 1024;
    public static final String MAX_BYTES_ENV = "WEFT_FILE_MAX_BYTES";
    public static final String PUBLIC_URL_ENV = "WEFT_PUBLIC_URL";
    public static final FilesConfig DEFAULT = new FilesConfig(MAX_BYTES_DEFAULT, null);

    public FilesConfig {
        if (maxBytes < 1) throw new IllegalArgumentException(MAX_BYTES_ENV + " must be a positive number of bytes");
        if (publicUrl != null) {
            URI uri = URI.create(publicUrl);
            if (uri.getScheme() == null || uri.getHost() == null || !uri.getScheme().matches("https?")) {
                throw new IllegalArgumentException(PUBLIC_URL_ENV + " must be an absolute http(s) URL such as "
                        + "https://weft.example.com (got " + publicUrl + ")");
            }
            publicUrl = publicUrl.replaceAll("/+$", "");
        }
    }

    public static FilesConfig fromEnvironment(Map<String, String> env) {
        String max = env.getOrDefault(MAX_BYTES_ENV, "").trim();
        String url = env.getOrDefault(PUBLIC_URL_ENV, "").trim();
        long maxBytes;
        try {
            maxBytes = max.isEmpty() ? MAX_BYTES_DEFAULT : Long.parseLong(max);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_BYTES_ENV + " must be a whole number of bytes (got '" + max + "')");
        }
        return new FilesConfig(maxBytes, url.isEmpty() ? null : url);
    }

    public FilesConfig withMaxBytes(long maxBytes) {
        return new FilesConfig(maxBytes, publicUrl);
    }
}
