package dev.weft.auth;

import dev.weft.http.ApiException;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.time.Duration;

/**
 * Tells who sent a run API request: the admin token, or a valid server key (401 otherwise), within the key's rate
 * limit (429 with {@code Retry-After} otherwise). The admin is not rate limited.
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

    public Caller authenticate(Context ctx) {
        String authorization = ctx.header(Header.AUTHORIZATION);
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
