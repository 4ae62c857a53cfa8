package dev.weft.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.audit.Audit;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.json.Json;
import dev.weft.store.SessionRecord;
import dev.weft.store.UserRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sign-in for the web UI: make the first owner on the first visit, sign in with email and password (a new
 * HttpOnly, SameSite=Strict session cookie each time), ask who is signed in, sign out. The admin token keeps
 * working for the API and the CLI. Attempts are limited per account, per address and per pair by
 * {@link SignInGuard}; an unknown email and a wrong password get the same answer after the same work.
 */
public final class SessionApi {

    private final Accounts accounts;
    private final Sessions sessions;
    private final AdminToken admin;
    private final SignInGuard guard;
    private final Audit audit;
    private final Clock clock;

    public SessionApi(Accounts accounts, Sessions sessions, AdminToken admin, SignInGuard guard, Audit audit, Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.admin = admin;
        this.guard = guard;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/session", this::current);
        routes.post("/api/v1/session", this::signIn);
        routes.post("/api/v1/session/setup", this::setup);
        routes.delete("/api/v1/session", this::signOut);
    }

    private void current(Context ctx) {
        Optional<SessionRecord> session = sessions.find(SessionFilter.cookie(ctx.req()));
        Optional<UserRecord> user = session.flatMap(s -> accounts.users().find(s.userId(), s.workspaceId()));
        if (session.isPresent() && user.isPresent()) {
            ctx.json(signedIn(session.get(), user.get(), accounts.users().workspaces(user.get().id())));
            return;
        }
        boolean ownerExists = accounts.ownerExists();
        ObjectNode json = Json.object();
        json.put("signed_in", false);
        json.put("owner_set", ownerExists);
        json.put("password_set", ownerExists);   // the previous release's name for the same fact
        json.put("setup_needs_admin_token", !ownerExists && !local(ctx));
        ctx.json(json);
    }

    private void signIn(Context ctx) {
        ObjectNode body = Bodies.object(ctx, false);
        String password = text(body, "password");
        String email = body.hasNonNull("email") ? Accounts.email(text(body, "email"), "email") : Accounts.PLACEHOLDER_EMAIL;
        String address = ctx.req().getRemoteAddr();
        if (!accounts.ownerExists()) {
            throw new ApiException(ApiException.Kind.CONFLICT, "password", "no owner exists yet: create the first owner");
        }
        UserRecord user = checked(email, password, address);
        audit.record(user.email(), "session.sign_in", "user", String.valueOf(user.id()), null, address);
        start(ctx, user);
    }

    /**
     * The user whose email and password these are, counted against the sign-in budgets (per account, per address,
     * and both): 429 over a budget, 401 for a wrong email or password (both audited).
     */
    UserRecord checked(String email, String password, String address) {
        AtomicReference<UserRecord> found = new AtomicReference<>();
        // The socket's address: no forwarding header is trusted, so a client cannot pick the address it is counted under.
        SignInGuard.Outcome outcome = guard.attempt(email, address, () -> {
            accounts.verify(email, password).ifPresent(found::set);
            return found.get() != null;
        });
        if (outcome instanceof SignInGuard.Refused refused) {
            long seconds = Math.max(1, (refused.retryAfter().toMillis() + 999) / 1000);
            audit.record(email, "session.sign_in_refused", "user", email, null, address);
            throw new ApiException(ApiException.Kind.RATE_LIMITED, "password", "too many wrong passwords from this "
                    + refused.budget() + "; try again in " + seconds + " s (at " + clock.instant().plusSeconds(seconds)
                    .truncatedTo(ChronoUnit.SECONDS) + ")").retryAfter(Duration.ofSeconds(seconds));
        }
        if (outcome instanceof SignInGuard.Wrong) {
            audit.record(email, "session.sign_in_failed", "user", email, null, address);
            throw new ApiException(ApiException.Kind.UNAUTHORIZED, "password", "wrong email or password");
        }
        return found.get();
    }

    /**
     * Makes the first owner. From this machine (loopback, not through a proxy) email and password are enough; from
     * elsewhere the admin token must come with them, so a stranger cannot claim a fresh server. Without an email
     * the owner is {@value Accounts#PLACEHOLDER_EMAIL} (what the previous release's clients send).
     */
    private void setup(Context ctx) {
        ObjectNode body = Bodies.object(ctx, false);
        String chosen = text(body, "password");
        String email = body.hasNonNull("email") ? Accounts.email(text(body, "email"), "email") : Accounts.PLACEHOLDER_EMAIL;
        Accounts.checkPassword(chosen, "password");
        if (accounts.ownerExists()) {
            throw new ApiException(ApiException.Kind.CONFLICT, "password", "the first owner exists already; sign in");
        }
        if (!local(ctx)) {
            JsonNode token = body.get("admin_token");
            if (token == null || !token.isTextual() || !admin.matches("Bearer " + token.asText())) {
                throw new ApiException(ApiException.Kind.UNAUTHORIZED, "admin_token",
                        "from another machine, making the first owner needs the admin token (data/admin-token)");
            }
        }
        UserRecord owner = accounts.createFirstOwner(email, chosen).orElseThrow(() ->
                new ApiException(ApiException.Kind.CONFLICT, "password", "the first owner exists already; sign in"));
        audit.record(owner.email(), "user.first_owner", "user", String.valueOf(owner.id()), null, ctx.req().getRemoteAddr());
        start(ctx, owner);
    }

    /**
     * Ends the session; like every request that changes something, ending a live session needs its CSRF token
     * (the session filter then passes the request on with the admin's credentials) or the admin token.
     */
    private void signOut(Context ctx) {
        String cookie = SessionFilter.cookie(ctx.req());
        Optional<SessionRecord> session = sessions.find(cookie);
        if (session.isPresent()) {
            admin.check(ctx.header("Authorization"));
            Member member = ctx.attribute(SessionFilter.MEMBER_ATTRIBUTE);
            if (member != null) audit.record(member.email(), "session.sign_out", "user", String.valueOf(member.userId()), null,
                    ctx.req().getRemoteAddr());
        }
        sessions.end(cookie);
        ctx.res().addHeader("Set-Cookie", cookie(ctx, "", 0));
        ctx.status(204);
    }

    /**
     * Starts a new session for {@code user}: the one the browser brought (if any) ends first, so a cookie planted
     * before sign-in never becomes a signed-in one.
     */
    void start(Context ctx, UserRecord user) {
        start(ctx, user, null);
    }

    /** As {@link #start(Context, UserRecord)}, the session in workspace {@code workspaceId} (one of the user's). */
    void start(Context ctx, UserRecord user, Long workspaceId) {
        sessions.end(SessionFilter.cookie(ctx.req()));
        Sessions.Created created = sessions.create(user.id(), ctx.req().getRemoteAddr(), ctx.header("User-Agent"));
        SessionRecord session = created.session();
        if (workspaceId != null && session.workspaceId() != workspaceId
                && sessions.switchWorkspace(user.id(), session.id(), workspaceId)) {
            session = sessions.find(created.cookieValue()).orElse(session);
        }
        ctx.res().addHeader("Set-Cookie", cookie(ctx, created.cookieValue(), sessions.lifetime().toSeconds()));
        UserRecord there = accounts.users().find(user.id(), session.workspaceId()).orElse(user);
        ctx.status(201).json(signedIn(session, there, accounts.users().workspaces(user.id())));
    }

    /**
     * The signed-in answer: the session, the user with their role in the session's current workspace, that
     * workspace and every workspace they belong to (with their role in each).
     */
    static ObjectNode signedIn(SessionRecord session, UserRecord user, java.util.List<dev.weft.store.WorkspaceRecord> all) {
        ObjectNode json = signedIn(session, user);
        java.util.Optional<dev.weft.store.WorkspaceRecord> current = all.stream()
                .filter(w -> w.id() == session.workspaceId()).findFirst();
        ObjectNode workspace = json.putObject("workspace");
        workspace.put("id", session.workspaceId());
        workspace.put("name", current.map(dev.weft.store.WorkspaceRecord::name).orElse(null));
        workspace.put("role", user.role());
        com.fasterxml.jackson.databind.node.ArrayNode list = json.putArray("workspaces");
        for (dev.weft.store.WorkspaceRecord w : all) {
            list.addObject().put("id", w.id()).put("name", w.name()).put("role", w.role());
        }
        return json;
    }

    private static ObjectNode signedIn(SessionRecord session, UserRecord user) {
        ObjectNode json = Json.object();
        json.put("signed_in", true);
        json.put("csrf_token", session.csrfToken());
        json.put("expires_at", session.expiresAt().toString());
        json.put("session_id", session.id());
        ObjectNode who = json.putObject("user");
        who.put("id", user.id());
        who.put("email", user.email());
        who.put("role", user.role());
        permissions(who.putArray("permissions"), MemberRole.of(user.role()));
        return json;
    }

    /**
     * Issue 15 (role-aware UI): what the role allows, as {@link MemberRole#allows} says ({@code read}, {@code run},
     * {@code build}, {@code manage}), so the UI shows only the controls the server would accept. An unknown role
     * allows nothing here (the UI then shows a read-only view; the server decides anyway).
     */
    static void permissions(ArrayNode list, MemberRole role) {
        if (role == null) return;
        for (Permission permission : List.of(Permission.READ, Permission.RUN, Permission.BUILD, Permission.MANAGE)) {
            if (role.allows(permission)) list.add(permission.name().toLowerCase(Locale.ROOT));
        }
    }

    static String cookie(Context ctx, String value, long maxAgeSeconds) {
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

    static String text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "is required (string)");
        }
        return value.asText();
    }
}
