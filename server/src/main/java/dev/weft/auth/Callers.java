package dev.weft.auth;

import dev.weft.http.ApiException;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.time.Duration;

/**
 * Tells who sent a request, in which workspace it acts, and whether it may do what it asks, for every kind of
 * credential: the admin token, a server key (within its rate limit, 429 with {@code Retry-After} otherwise; the admin
 * is not rate limited), or a signed-in UI session (which {@link SessionFilter} turns into the admin's credential
 * before any handler runs). Every handler and filter asks {@link #require} with the {@link Scope} its route needs.
 * The workspace is resolved here and nowhere else: a server key acts in its own; a session in its current one
 * (its {@link Member}'s); the admin token in the one {@value #WORKSPACE_HEADER} names (default 1; an unknown id is a
 * 404 naming the header). The resolved {@link Caller} is kept on the request ({@link Caller#of}).
 */
public final class Callers {

    /** The header with which the admin token names the workspace it acts in. */
    public static final String WORKSPACE_HEADER = "X-Weft-Workspace";

    private final ServerKeys keys;
    private final AdminToken admin;
    private final RateLimit limiter;
    private final WorkspaceIds workspaces;
    private volatile WorkspaceGuard guard;

    /** Callers on a server whose admin token knows only the default workspace. */
    public Callers(ServerKeys keys, AdminToken admin, RateLimit limiter) {
        this(keys, admin, limiter, WorkspaceIds.DEFAULT_ONLY);
    }

    public Callers(ServerKeys keys, AdminToken admin, RateLimit limiter, WorkspaceIds workspaces) {
        this.keys = keys;
        this.admin = admin;
        this.limiter = limiter;
        this.workspaces = workspaces;
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
        Caller caller = switch (scope) {
            case ADMIN -> {
                admin.check(authorization);
                yield admin(ctx);
            }
            case CATALOGUE -> admin.matches(authorization) ? admin(ctx) : new Caller(keys.authenticate(authorization));
            case RUN -> admin.matches(authorization) ? admin(ctx) : key(authorization);
        };
        ctx.attribute(Caller.ATTRIBUTE, caller);
        WorkspaceGuard objects = guard;
        if (objects != null) objects.check(ctx, caller, scope);
        return caller;
    }

    /** Attaches the guard that keeps other workspaces' objects named in a path out of reach (made after this). */
    public void guard(WorkspaceGuard guard) {
        this.guard = guard;
    }

    /**
     * The admin's caller: a signed-in member acts in their session's workspace (a header cannot move them); the
     * admin token in the workspace {@value #WORKSPACE_HEADER} names, the default one without it.
     */
    private Caller admin(Context ctx) {
        Member member = ctx.attribute(SessionFilter.MEMBER_ATTRIBUTE);
        if (member != null) return Caller.admin(member.workspaceId());
        return Caller.admin(workspace(ctx.header(WORKSPACE_HEADER)));
    }

    /** The workspace id a {@value #WORKSPACE_HEADER} header names: 400 when it is no id, 404 when none has it. */
    long workspace(String header) {
        if (header == null || header.isBlank()) return dev.weft.store.Database.DEFAULT_WORKSPACE;
        long id;
        try {
            id = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, WORKSPACE_HEADER,
                    "must be a workspace id (a positive integer), not '" + header + "'");
        }
        if (!workspaces.exists(id)) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, WORKSPACE_HEADER, "workspace " + id + " does not exist");
        }
        return id;
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
        return admin.matches(authorization) ? Caller.ADMIN : key(authorization);
    }

    private Caller key(String authorization) {
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
