package dev.weft.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;

/**
 * Lets web pages of the allowed origins ({@link CorsConfig}) call the run API from the browser: a preflight
 * ({@code OPTIONS} with {@code Access-Control-Request-Method}) to a run-API path is answered 204 at once, before any
 * credential is asked for, and every answer to an allowed origin names it in {@code Access-Control-Allow-Origin}.
 * Only the paths a server key may call are covered; the management API, the UI and its session cookie stay
 * same-origin. No {@code Access-Control-Allow-Credentials}: keys travel in {@code Authorization}, never in cookies.
 *
 * <p>Written as one before-handler rather than Javalin's {@code CorsPlugin}, which echoes whatever headers a
 * preflight asks for, answers it 200 only after the other before-handlers ran, and covers paths by pattern only.
 */
public final class Cors {

    /** Where the run API lives: the paths a server key may call (prefixes; {@code /api/v1/tasks} is the admin's). */
    public static final List<String> PATHS = List.of("/api/v1/scade/", "/api/v1/task/", "/api/v1/files",
            "/api/v1/node-types");
    public static final String METHODS = "GET, POST, DELETE";
    /** Every request header the run API reads. */
    public static final String HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID, X-Filename";
    /** Every response header a client of the run API may need to read. */
    public static final String EXPOSED = "Location, Retry-After, Idempotent-Replayed, Content-Disposition, ETag";
    /** How long a browser may reuse a preflight's answer (Chromium caps it at 2 hours). */
    public static final int MAX_AGE_SECONDS = 600;

    private final CorsConfig config;

    private Cors(CorsConfig config) {
        this.config = config;
    }

    /** Adds the handler in front of the routes registered after it; nothing at all when no origin is allowed. */
    public static void register(JavalinDefaultRoutingApi routes, CorsConfig config) {
        if (!config.enabled()) return;
        routes.before(new Cors(config)::handle);
    }

    private void handle(Context ctx) {
        if (!covered(ctx.path())) return;
        ctx.header("Vary", "Origin");   // the answer depends on the origin: caches keep one per origin
        String origin = ctx.header("Origin");
        boolean allowed = config.allows(origin);
        boolean preflight = ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null;
        if (allowed) ctx.header("Access-Control-Allow-Origin", origin);
        if (preflight) {
            if (allowed) {
                ctx.header("Access-Control-Allow-Methods", METHODS);
                ctx.header("Access-Control-Allow-Headers", HEADERS);
                ctx.header("Access-Control-Max-Age", String.valueOf(MAX_AGE_SECONDS));
            }
            // a refused origin gets the same 204 without the allow headers: the browser stops there
            ctx.status(204);
            ctx.skipRemainingHandlers();
        } else if (allowed) {
            ctx.header("Access-Control-Expose-Headers", EXPOSED);
        }
    }

    static boolean covered(String path) {
        for (String prefix : PATHS) {
            if (path.startsWith(prefix)) {
                // "/api/v1/files" covers "/api/v1/files" and "/api/v1/files/..." but not "/api/v1/filesystem"
                if (prefix.endsWith("/") || path.length() == prefix.length() || path.charAt(prefix.length()) == '/') {
                    return true;
                }
            }
        }
        return false;
    }
}
