package dev.weft.auth;

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

/**
 * A signed-in member's own account: who they are, changing their password (every session ends, this browser gets
 * a new one), and their sessions, listed and revoked one by one. The admin token has no account here.
 */
public final class AccountApi {

    private final Accounts accounts;
    private final Sessions sessions;
    private final SessionApi signIn;
    private final Audit audit;

    public AccountApi(Accounts accounts, Sessions sessions, SessionApi signIn, Audit audit) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.signIn = signIn;
        this.audit = audit;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/account", this::me);
        routes.put("/api/v1/account/password", this::changePassword);
        routes.get("/api/v1/account/sessions", this::list);
        routes.delete("/api/v1/account/sessions/{session_id}", this::revoke);
    }

    private void me(Context ctx) {
        ctx.json(MembersApi.member(user(ctx)));
    }

    private void changePassword(Context ctx) {
        UserRecord user = user(ctx);
        ObjectNode body = Bodies.object(ctx, false);
        String current = SessionApi.text(body, "current_password");
        String chosen = SessionApi.text(body, "new_password");
        Accounts.checkPassword(chosen, "new_password");
        if (!accounts.hasher().matches(current, user.passwordHash())) {
            audit.record(user.email(), "account.password_change_refused", "user", String.valueOf(user.id()), null,
                    ctx.req().getRemoteAddr());
            throw new ApiException(ApiException.Kind.FORBIDDEN, "current_password", "is not your current password");
        }
        accounts.setPassword(user.id(), chosen);
        audit.record(user.email(), "account.password_change", "user", String.valueOf(user.id()), null, ctx.req().getRemoteAddr());
        signIn.start(ctx, accounts.users().find(user.id()).orElseThrow());
    }

    private void list(Context ctx) {
        Member member = member(ctx);
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("sessions");
        for (SessionRecord session : sessions.list(member.userId())) {
            list.addObject().put("id", session.id()).put("current", session.id().equals(member.sessionId()))
                    .put("created_at", session.createdAt().toString()).put("last_seen_at", session.lastSeenAt().toString())
                    .put("expires_at", session.expiresAt().toString()).put("address", session.address())
                    .put("user_agent", session.userAgent());
        }
        ctx.json(json);
    }

    private void revoke(Context ctx) {
        Member member = member(ctx);
        String id = ctx.pathParam("session_id");
        if (!sessions.end(member.userId(), id)) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "session_id", "you have no session '" + id + "'");
        }
        audit.record(member.email(), "account.session_revoke", "session", id, null, ctx.req().getRemoteAddr());
        ctx.status(204);
    }

    private UserRecord user(Context ctx) {
        return accounts.users().find(member(ctx).userId()).orElseThrow(() ->
                new ApiException(ApiException.Kind.UNAUTHORIZED, "session", "your account no longer exists"));
    }

    private static Member member(Context ctx) {
        Member member = ctx.attribute(SessionFilter.MEMBER_ATTRIBUTE);
        if (member == null) {
            throw new ApiException(ApiException.Kind.FORBIDDEN, "Authorization", "the admin token has no account: "
                    + "sign in as a member to use /api/v1/account");   // without any credential the 401 came first
        }
        return member;
    }
}
