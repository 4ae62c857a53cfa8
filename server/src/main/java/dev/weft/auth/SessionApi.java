package dev.weft.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Sign-in for the web UI: set the admin password on the first visit, sign in with it (an HttpOnly, SameSite=Strict
 * session cookie), ask who is signed in, sign out. The admin token keeps working for the API and the CLI.
 */
public final class SessionApi {

    /** The one account the UI has; the sign-in budgets are kept per account all the same. */
    public static final String ACCOUNT = "admin";

    private final AdminPassword password;
    private final Sessions sessions;
    private final AdminToken admin;
    private final SignInGuard guard;
    private final Clock clock;

    public SessionApi(AdminPassword password, Sessions sessions, AdminToken admin, SignInGuard guard, Clock clock) {
        this.password = password;
        this.sessions = sessions;
        this.admin = admin;
        this.guard = guard;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/session", this::current);
        routes.post("/api/v1/session", this::signIn);
        routes.post("/api/v1/session/setup", this::setup);
        routes.delete("/api/v1/session", this::signOut);
    }

    private void current(Context ctx) {
        Optional<Sessions.Session> session = sessions.find(SessionFilter.cookie(ctx.req()));
        if (session.isPresent()) {
            ctx.json(signedIn(session.get()));
            return;
        }
        ObjectNode json = Json.object();
        json.put("signed_in", false);
        json.put("password_set", password.isSet());
        json.put("setup_needs_admin_token", !password.isSet() && !local(ctx));
        ctx.json(json);
    }

    private void signIn(Context ctx) {
        String given = text(Bodies.object(ctx, false), "password");
        if (!password.isSet()) {
            throw new ApiException(ApiException.Kind.CONFLICT, "password", "no admin password is set yet: set one first");
        }
        // The socket's address: no forwarding header is trusted, so a client cannot pick the address it is counted under.
        SignInGuard.Outcome outcome = guard.attempt(ACCOUNT, ctx.req().getRemoteAddr(), () -> password.matches(given));
        if (outcome instanceof SignInGuard.Refused refused) {
            long seconds = Math.max(1, (refused.retryAfter().toMillis() + 999) / 1000);
            throw new ApiException(ApiException.Kind.RATE_LIMITED, "password", "too many wrong passwords from this "
                    + refused.budget() + "; try again in " + seconds + " s (at " + clock.instant().plusSeconds(seconds)
                    .truncatedTo(ChronoUnit.SECONDS) + ")").retryAfter(Duration.ofSeconds(seconds));
        }
        if (outcome instanceof SignInGuard.Wrong) {
            throw new ApiException(ApiException.Kind.UNAUTHORIZED, "password", "wrong password");
        }
        start(ctx);
    }

    /**
     * Sets the admin password the first time. From this machine (loopback, not through a proxy) the password is
     * enough; from elsewhere the admin token must come with it, so a stranger cannot claim a fresh server.
     */
    private void setup(Context ctx) {
        ObjectNode body = Bodies.object(ctx, false);
        String chosen = text(body, "password");
        String problem = AdminPassword.problem(chosen);
        if (problem != null) throw new ApiException(ApiException.Kind.INVALID_INPUT, "password", problem);
        if (password.isSet()) {
            throw new ApiException(ApiException.Kind.CONFLICT, "password", "the admin password is already set; sign in");
        }
        if (!local(ctx)) {
            JsonNode token = body.get("admin_token");
            if (token == null || !token.isTextual() || !admin.matches("Bearer " + token.asText())) {
                throw new ApiException(ApiException.Kind.UNAUTHORIZED, "admin_token",
                        "from another machine, setting the password needs the admin token (data/admin-token)");
            }
        }
        if (!password.setFirst(chosen)) {
            throw new ApiException(ApiException.Kind.CONFLICT, "password", "the admin password is already set; sign in");
        }
        start(ctx);
    }

    /**
     * Ends the session; like every request that changes something, ending a live session needs its CSRF token
     * (the session filter then passes the request on with the admin's credentials) or the admin token.
     */
    private void signOut(Context ctx) {
        if (sessions.find(SessionFilter.cookie(ctx.req())).isPresent()) admin.check(ctx.header("Authorization"));
        sessions.end(SessionFilter.cookie(ctx.req()));
        ctx.res().addHeader("Set-Cookie", cookie(ctx, "", 0));
        ctx.status(204);
    }

    private void start(Context ctx) {
        Sessions.Created created = sessions.create();
        ctx.res().addHeader("Set-Cookie", cookie(ctx, created.cookieValue(), sessions.lifetime().toSeconds()));
        ctx.status(201).json(signedIn(created.session()));
    }

    private static ObjectNode signedIn(Sessions.Session session) {
        ObjectNode json = Json.object();
        json.put("signed_in", true);
        json.put("csrf_token", session.csrfToken());
        json.put("expires_at", session.expiresAt().toString());
        return json;
    }

    private static String cookie(Context ctx, String value, long maxAgeSeconds) {
        boolean https = "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return SessionFilter.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (https ? "; Secure" : "");
    }

    /** A request from this machine that did not come through a proxy. */
    private static boolean local(Context ctx) {
        if (ctx.header("X-Forwarded-For") != null || ctx.header("Forwarded") != null) return false;
        try {
            return InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "is required (string)");
        }
        return value.asText();
    }
}
