package dev.weft.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.audit.Audit;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.json.Json;
import dev.weft.store.InvitationRecord;
import dev.weft.store.JdbcUserStore;
import dev.weft.store.UserRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Base64;

/**
 * Members of the (default) workspace: list them, invite by a link that expires, change a role, disable and enable,
 * reset a password. Only owners (and the admin token) get here ({@link RoutePolicy}); nobody changes their own
 * membership, so a role cannot be raised by its holder. Accepting an invitation makes the account and signs it in.
 */
public final class MembersApi {

    public static final Duration INVITATION_DEFAULT = Duration.ofDays(7);
    public static final Duration INVITATION_MAX = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Accounts accounts;
    private final Sessions sessions;
    private final SessionApi signIn;
    private final Audit audit;
    private final Clock clock;

    public MembersApi(Accounts accounts, Sessions sessions, SessionApi signIn, Audit audit, Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.signIn = signIn;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/members", this::list);
        routes.put("/api/v1/members/{user_id}", this::setRole);
        routes.post("/api/v1/members/{user_id}/disable", this::disable);
        routes.post("/api/v1/members/{user_id}/enable", this::enable);
        routes.post("/api/v1/members/{user_id}/password", this::resetPassword);
        routes.post("/api/v1/invitations", this::invite);
        routes.get("/api/v1/invitations/{token}", this::invitation);
        routes.post("/api/v1/invitations/{token}/accept", this::accept);
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("members");
        for (UserRecord user : accounts.users().members(Caller.workspaceOf(ctx))) list.add(member(user));
        ctx.json(json);
    }

    private void setRole(Context ctx) {
        UserRecord user = other(ctx);
        ObjectNode body = Bodies.object(ctx, false);
        MemberRole role = role(body);
        long workspace = Caller.workspaceOf(ctx);
        if (!accounts.users().setRole(user.id(), workspace, role.word())) {
            throw new ApiException(ApiException.Kind.CONFLICT, "role", "the workspace needs an enabled owner: make "
                    + "another member owner first");
        }
        audit.record(Caller.workspaceOf(ctx), RoutePolicy.actor(ctx), "member.role", "user", String.valueOf(user.id()),
                Json.object().put("from", user.role()).put("to", role.word()).toString(), ctx.req().getRemoteAddr());
        ctx.json(member(accounts.users().find(user.id(), workspace).orElseThrow()));
    }

    private void disable(Context ctx) {
        UserRecord user = other(ctx);
        if (!accounts.users().disable(user.id())) {
            throw new ApiException(ApiException.Kind.CONFLICT, "user_id", "the workspace needs an enabled owner: make "
                    + "another member owner first");
        }
        audit.record(Caller.workspaceOf(ctx), RoutePolicy.actor(ctx), "member.disable", "user", String.valueOf(user.id()), null, ctx.req().getRemoteAddr());
        ctx.json(member(accounts.users().find(user.id(), Caller.workspaceOf(ctx)).orElseThrow()));
    }

    private void enable(Context ctx) {
        UserRecord user = other(ctx);
        accounts.users().enable(user.id());
        audit.record(Caller.workspaceOf(ctx), RoutePolicy.actor(ctx), "member.enable", "user", String.valueOf(user.id()), null, ctx.req().getRemoteAddr());
        ctx.json(member(accounts.users().find(user.id(), Caller.workspaceOf(ctx)).orElseThrow()));
    }

    /** An owner sets another member's password (they forgot it); every session of that member ends. */
    private void resetPassword(Context ctx) {
        UserRecord user = other(ctx);
        String password = SessionApi.text(Bodies.object(ctx, false), "password");
        Accounts.checkPassword(password, "password");
        accounts.setPassword(user.id(), password);
        audit.record(Caller.workspaceOf(ctx), RoutePolicy.actor(ctx), "member.password_reset", "user", String.valueOf(user.id()), null,
                ctx.req().getRemoteAddr());
        ctx.status(204);
    }

    private void invite(Context ctx) {
        ObjectNode body = Bodies.object(ctx, false);
        MemberRole role = role(body);
        Duration lasts = INVITATION_DEFAULT;
        if (body.has("expires_in_hours")) {
            if (!body.get("expires_in_hours").canConvertToLong() || body.get("expires_in_hours").asLong() < 1
                    || body.get("expires_in_hours").asLong() > INVITATION_MAX.toHours()) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "expires_in_hours",
                        "must be a whole number of hours from 1 to " + INVITATION_MAX.toHours());
            }
            lasts = Duration.ofHours(body.get("expires_in_hours").asLong());
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        InvitationRecord invitation = accounts.users().invite(Caller.workspaceOf(ctx), Sessions.digest(token),
                role.word(), RoutePolicy.actor(ctx), clock.instant().plus(lasts));
        audit.record(Caller.workspaceOf(ctx), RoutePolicy.actor(ctx), "invitation.create", "invitation", invitation.tokenHash().substring(0, 12),
                Json.object().put("role", role.word()).toString(), ctx.req().getRemoteAddr());
        ctx.status(201).json(Json.object().put("token", token).put("link", "/#/invite/" + token)
                .put("role", role.word()).put("expires_at", invitation.expiresAt().toString()));
    }

    /** What an invitation grants; 404 alike for a forged, used or expired one, so tokens cannot be probed. */
    private void invitation(Context ctx) {
        InvitationRecord invitation = live(ctx.pathParam("token"));
        ctx.json(Json.object().put("role", invitation.role()).put("expires_at", invitation.expiresAt().toString()));
    }

    private void accept(Context ctx) {
        String token = ctx.pathParam("token");
        ObjectNode body = Bodies.object(ctx, false);
        String email = Accounts.email(SessionApi.text(body, "email"), "email");
        String password = SessionApi.text(body, "password");
        Accounts.checkPassword(password, "password");
        InvitationRecord invitation = live(token);
        Optional<UserRecord> existing = accounts.users().findByEmail(email);
        if (existing.isPresent()) {
            join(ctx, invitation, existing.get(), password);
            return;
        }
        UserRecord user = accounts.users().acceptInvitation(invitation.tokenHash(), email,
                accounts.hasher().hash(password)).orElseThrow(() -> {
                    audit.record(email, "invitation.refused", "invitation", invitation.tokenHash().substring(0, 12), null,
                            ctx.req().getRemoteAddr());
                    return new ApiException(ApiException.Kind.CONFLICT, "email",
                            "this email has an account already, or the invitation was just used");
                });
        audit.record(email, "invitation.accept", "user", String.valueOf(user.id()),
                Json.object().put("role", user.role()).toString(), ctx.req().getRemoteAddr());
        signIn.start(ctx, user);
    }

    /**
     * Someone with an account accepts an invitation to another workspace: their own password proves it is them,
     * checked exactly as a sign-in is (the same budgets per account and address, so a link cannot be used to guess
     * passwords; 401 when wrong, 429 over a budget), and the membership is added; their account, password and other
     * workspaces are unchanged, and the new session opens in the workspace they joined.
     */
    private void join(Context ctx, InvitationRecord invitation, UserRecord user, String password) {
        signIn.checked(user.email(), password, ctx.req().getRemoteAddr());
        UserRecord joined = accounts.users().joinByInvitation(invitation.tokenHash(), user.id()).orElseThrow(() ->
                new ApiException(ApiException.Kind.CONFLICT, "email", "this account is a member of that workspace "
                        + "already, or the invitation was just used"));
        audit.record(user.email(), "invitation.accept", "user", String.valueOf(user.id()),
                Json.object().put("role", joined.role()).put("workspace_id", invitation.workspaceId()).toString(),
                ctx.req().getRemoteAddr());
        signIn.start(ctx, joined, invitation.workspaceId());
    }

    private InvitationRecord live(String token) {
        InvitationRecord invitation = token == null ? null : accounts.users().invitation(Sessions.digest(token)).orElse(null);
        Instant now = clock.instant();
        if (invitation == null || invitation.acceptedAt() != null || !invitation.expiresAt().isAfter(now)) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "token", "no such invitation, or it was used or expired");
        }
        return invitation;
    }

    /**
     * The member named in the path, a member of the caller's workspace (else 404, as for nobody), who must not be
     * the caller (nobody edits their own membership).
     */
    private UserRecord other(Context ctx) {
        long id = Bodies.id(ctx, "user_id", "member");
        UserRecord user = accounts.users().find(id, Caller.workspaceOf(ctx)).filter(u -> u.role() != null).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "user_id", "no member " + id));
        Member caller = ctx.attribute(SessionFilter.MEMBER_ATTRIBUTE);
        if (caller != null && caller.userId() == user.id()) {
            audit.record(caller.email(), "member.self_change_refused", "user", String.valueOf(user.id()), null,
                    ctx.req().getRemoteAddr());
            throw new ApiException(ApiException.Kind.FORBIDDEN, "user_id", "you cannot change your own membership; "
                    + "another owner can");
        }
        return user;
    }

    private static MemberRole role(ObjectNode body) {
        MemberRole role = MemberRole.of(body.path("role").asText(null));
        if (role == null) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "role", "must be one of owner, editor, runner, viewer");
        }
        return role;
    }

    static ObjectNode member(UserRecord user) {
        ObjectNode json = Json.object().put("id", user.id()).put("email", user.email()).put("role", user.role())
                .put("disabled", user.disabled()).put("created_at", user.createdAt().toString());
        return json;
    }
}
