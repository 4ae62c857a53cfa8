package dev.weft.deploy;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * The image's health check command: exits 0 when Weft in the same container answers {@code GET /ready} (or the
 * path given) with 200, else 1. The image has no shell, curl or wget, so Compose, {@code docker run
 * --health-cmd} and {@code podman run --health-cmd} run this with the image's own Java; Kubernetes probes the
 * HTTP paths directly. It reads {@code WEFT_PORT} as {@code weft serve} does (8080 when unset).
 */
public final class HealthCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final String PATH_DEFAULT = "/ready";

    private HealthCheck() {
    }

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("WEFT_PORT", "8080").trim();
        String path = args.length > 0 ? args[0] : PATH_DEFAULT;
        String url = "http://127.0.0.1:" + (port.isEmpty() ? "8080" : port) + path;
        int status = status(url);
        if (status != 200) System.err.println("weft health check: " + url + " -> " + (status < 0 ? "no answer" : status));
        System.exit(status == 200 ? 0 : 1);
    }

    /** The status {@code url} answers a GET with, or -1 when nothing answers in time. */
    static int status(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout((int) TIMEOUT.toMillis());
            connection.setReadTimeout((int) TIMEOUT.toMillis());
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }
}
