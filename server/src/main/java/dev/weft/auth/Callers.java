package dev.weft.auth;

import dev.weft.http.ApiException;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.time.Duration;

/**
 * Tells who sent a request and whether it may do what it asks, for every kind of credential: the admin token, a
 * server key (within its rate limit, 429 with {@code Retry-After} otherwise; the admin is not rate limited), or a
 * signed-in UI session (which {@link SessionFilter} turns into the admin's credential before any handler runs).
 * Every handler and filter asks {@link #require} with the {@link Scope} its route needs.
 */
public final class Callers {

    private final ServerKeys keys;
    private final AdminToken admin;
    private final RateLimiter limiter;

    public Callers(ServerKeys keys, AdminToken admin, RateLimiter limiter) {
        this.keys = keys;
        this.admin = admin;
        this.limiter = limiter;
    }

    /** What a route needs of its caller. */
    public enum Scope {
        /** The run API: the admin, or a valid server key within its rate limit. */
        RUN,
        /** The node catalogue: the admin or any valid server key, not rate limited. */
        CATALOGUE,
        /** The management API and the UI's data: the admin token or a signed-in session; 401 otherwise. */
        ADMIN
    }

    /** The caller of {@code ctx} if it has {@code scope}: 401 without a valid credential, 429 over a key's rate. */
    public Caller require(Context ctx, Scope scope) {
        String authorization = ctx.header(Header.AUTHORIZATION);
        return switch (scope) {
            case ADMIN -> {
                admin.check(authorization);
                yield Caller.ADMIN;
            }
            case CATALOGUE -> admin.matches(authorization) ? Caller.ADMIN : new Caller(keys.authenticate(authorization));
            case RUN -> run(authorization);
        };
    }

    /**
     * The run scope for an MCP client, which sends its credential as {@code Bearer <server key>} (what MCP clients
     * send) or {@code Basic <server key>}; {@code Bearer <admin token>} is the admin.
     */
    public Caller requireMcp(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && !admin.matches(authorization)) {
            authorization = "Basic " + authorization.substring(7).trim();
        }
        return run(authorization);
    }

    private Caller run(String authorization) {
        if (admin.matches(authorization)) return Caller.ADMIN;
        Caller caller = new Caller(keys.authenticate(authorization));
        Duration wait = limiter.take(caller.keyId());
        if (!wait.isZero()) {
            throw new ApiException(ApiException.Kind.RATE_LIMITED, "Authorization", "server key '"
                    + caller.key().name() + "' is over its rate limit; try again in " + Math.max(1, wait.toMillis())
                    + " ms").retryAfter(wait);
        }
        return caller;
    }
}
