package dev.weft.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.weft.audit.Audit;
import dev.weft.http.ApiException;
import dev.weft.json.Json;
import dev.weft.store.JdbcOidcStore;
import dev.weft.store.OidcRequestRecord;
import dev.weft.store.UserRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-in through an OpenID Connect provider ({@link OidcConfig}): {@code start} keeps the sign-in's state, nonce
 * and PKCE verifier in the database (bound to the browser by a cookie) and sends the browser to the provider;
 * {@code callback} takes that state once, has {@link OidcProvider} exchange the code and validate the ID token, then
 * finds the person by their (issuer, subject) identity, or links a verified email to its user, or makes a user with
 * the role the claims map to, and starts a session exactly as a password sign-in does. Every refusal is audited
 * ({@code signin.failed}, with the reason), changes nothing, and sends the browser back to the sign-in page with a
 * {@code sso_error} code the page puts in words.
 */
public final class OidcApi {

    public static final String CONFIG_PATH = "/api/v1/session/oidc";
    public static final String START_PATH = "/api/v1/session/oidc/start";
    public static final String CALLBACK_PATH = "/api/v1/session/oidc/callback";
    /** The cookie that binds a sign-in under way to the browser that started it. */
    public static final String BROWSER_COOKIE = "weft_oidc";
    /** How long a browser may stay at the provider before its sign-in is refused. */
    public static final Duration PENDING_FOR = Duration.ofMinutes(10);
    /** What a user made by single sign-on keeps as a password: no password matches it. */
    public static final String NO_PASSWORD = PasswordHasher.NO_PASSWORD;

    /** Why a sign-in was refused: the code the sign-in page turns into words. */
    enum Failure {
        OFF("off"), UNAVAILABLE("unavailable"), STATE("state"), PROVIDER("provider"), TOKEN("token"), EMAIL("email"),
        DOMAIN("domain"), ROLE("role"), DISABLED("disabled"), TAKEN("taken"), SETUP("setup");

        final String code;

        Failure(String code) {
            this.code = code;
        }
    }

    /** A refusal on its way to the audit log and the sign-in page. */
    private static final class Refusal extends Exception {
        final Failure failure;
        final String actor;

        Refusal(Failure failure, String actor, String reason) {
            super(reason);
            this.failure = failure;
            this.actor = actor;
        }
    }

    private final OidcConfig config;
    private final OidcProvider provider;
    private final JdbcOidcStore store;
    private final Accounts accounts;
    private final Sessions sessions;
    private final Audit audit;
    private final Clock clock;
    private final String publicUrl;

    /** {@code publicUrl} ({@code WEFT_PUBLIC_URL}, may be null) is the redirect base when the config names none. */
    public OidcApi(OidcConfig config, JdbcOidcStore store, Team team, String publicUrl) {
        this.config = config;
        this.provider = new OidcProvider(config);
        this.store = store;
        this.accounts = team.accounts();
        this.sessions = team.sessions();
        this.audit = team.audit();
        this.clock = team.clock();
        this.publicUrl = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
    }

    public void register(RoutesConfig routes) {
        routes.get(CONFIG_PATH, this::describe);
        routes.get(START_PATH, this::start);
        routes.get(CALLBACK_PATH, this::callback);
    }

    /** Whether single sign-on is on and the button's label: what the sign-in page asks before it draws. */
    private void describe(Context ctx) {
        ObjectNode json = Json.object();
        json.put("enabled", config.enabled());
        if (config.enabled()) {
            json.put("label", config.label());
            json.put("start_url", START_PATH);
        }
        ctx.json(json);
    }

    private void start(Context ctx) {
        requireOn();
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        String browser = new State().getValue();   // 256 random bits, the same generator as the state's
        URI redirect = URI.create(base(ctx) + CALLBACK_PATH);
        URI target;
        try {
            target = provider.authorization(redirect, state, nonce, verifier);
        } catch (OidcProvider.Refused e) {
            fail(ctx, new Refusal(Failure.UNAVAILABLE, "oidc", e.getMessage()));
            return;
        }
        Instant now = clock.instant();
        store.save(Sessions.digest(state.getValue()), new OidcRequestRecord(Sessions.digest(browser), nonce.getValue(),
                verifier.getValue(), redirect.toString(), now, now.plus(PENDING_FOR)));
        ctx.res().addHeader("Set-Cookie", browserCookie(ctx, browser, PENDING_FOR.toSeconds()));
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(target.toString(), HttpStatus.FOUND);
    }

    private void callback(Context ctx) {
        requireOn();
        ctx.res().addHeader("Set-Cookie", browserCookie(ctx, "", 0));   // used once, whatever happens
        ctx.header("Cache-Control", "no-store");
        try {
            UserRecord user = signIn(ctx);
            sessions.end(SessionFilter.cookie(ctx.req()));   // a cookie brought in is never promoted
            Sessions.Created created = sessions.create(user.id(), ctx.req().getRemoteAddr(), ctx.header("User-Agent"));
            ctx.res().addHeader("Set-Cookie", SessionApi.cookie(ctx, created.cookieValue(), sessions.lifetime().toSeconds()));
            audit.record(user.email(), "signin.oidc", "user", String.valueOf(user.id()), Json.object()
                    .put("issuer", config.issuer().toString()).put("role", user.role()).toString(), ctx.req().getRemoteAddr());
            ctx.redirect("/", HttpStatus.FOUND);
        } catch (Refusal refusal) {
            fail(ctx, refusal);
        }
    }

    /** Checks the provider's answer and finds, links or makes its user; nothing is written before every check passed. */
    private UserRecord signIn(Context ctx) throws Refusal {
        String stateValue = ctx.queryParam("state");
        if (stateValue == null || stateValue.isEmpty()) throw new Refusal(Failure.STATE, "oidc", "the answer has no state");
        OidcRequestRecord pending = store.take(Sessions.digest(stateValue)).orElseThrow(() -> new Refusal(Failure.STATE,
                "oidc", "unknown or already used state (forged or replayed)"));
        if (!pending.expiresAt().isAfter(clock.instant())) {
            throw new Refusal(Failure.STATE, "oidc", "the sign-in started more than " + PENDING_FOR.toMinutes() + " minutes ago");
        }
        String browser = ctx.cookie(BROWSER_COOKIE);
        if (browser == null || !Sessions.digest(browser).equals(pending.browserHash())) {
            throw new Refusal(Failure.STATE, "oidc", "the state belongs to a sign-in another browser started");
        }
        String error = ctx.queryParam("error");
        if (error != null) {
            String description = ctx.queryParam("error_description");
            throw new Refusal(Failure.PROVIDER, "oidc", "the provider answered " + clip(error)
                    + (description == null ? "" : ": " + clip(description)));
        }
        String code = ctx.queryParam("code");
        if (code == null || code.isEmpty()) throw new Refusal(Failure.PROVIDER, "oidc", "the answer has no code");
        IDTokenClaimsSet claims;
        try {
            claims = provider.signIn(new AuthorizationCode(code), URI.create(pending.redirectUri()),
                    new CodeVerifier(pending.codeVerifier()), new Nonce(pending.nonce()));
        } catch (OidcProvider.Refused e) {
            throw new Refusal(Failure.TOKEN, "oidc", e.getMessage());
        }
        return person(claims);
    }

    private UserRecord person(IDTokenClaimsSet claims) throws Refusal {
        String subject = claims.getSubject().getValue();
        String actor = "oidc:" + clip(subject);
        Object rawEmail = claims.getClaim("email");
        if (!(rawEmail instanceof String given) || given.isBlank()) {
            throw new Refusal(Failure.EMAIL, actor, "the ID token has no email (ask for the email scope)");
        }
        String email;
        try {
            email = Accounts.email(given, "email");
        } catch (ApiException e) {
            throw new Refusal(Failure.EMAIL, actor, "the ID token's email is not an email address");
        }
        Boolean verified = claims.getBooleanClaim("email_verified");
        if (Boolean.FALSE.equals(verified)) throw new Refusal(Failure.EMAIL, email, "the provider has not verified " + email);
        if (!config.allows(email)) {
            throw new Refusal(Failure.DOMAIN, email, email + " is outside the allowed email domains "
                    + String.join(", ", config.allowedDomains()));
        }
        Map<String, Object> all = claims.toJSONObject();
        MemberRole role = config.roleFor(all);
        String issuer = config.issuer().toString();
        Optional<Long> linked = store.userOf(issuer, subject, email);
        UserRecord user;
        if (linked.isPresent()) {
            user = accounts.users().find(linked.get()).orElseThrow(() -> new Refusal(Failure.DISABLED, email, "the user is gone"));
        } else {
            Optional<UserRecord> existing = accounts.users().findByEmail(email);
            if (existing.isPresent()) {
                if (!Boolean.TRUE.equals(verified)) {
                    throw new Refusal(Failure.TAKEN, email, email + " belongs to a user already and the provider does not say "
                            + "it verified the email, so it is not linked");
                }
                if (existing.get().disabled()) throw new Refusal(Failure.DISABLED, email, "the user is disabled");
                if (role == null && config.rolesClaim() != null) throw noRole(email);
                store.link(issuer, subject, existing.get().id(), email);
                user = existing.get();
            } else {
                if (role == null) throw noRole(email);
                if (!accounts.ownerExists() && role != MemberRole.OWNER) {
                    throw new Refusal(Failure.SETUP, email, "this Weft has no owner yet; the first person must be an owner");
                }
                long made = store.createUser(issuer, subject, email, NO_PASSWORD, role.word()).orElseThrow(() ->
                        new Refusal(Failure.TAKEN, email, email + " was taken while signing in; try again"));
                return accounts.users().find(made).orElseThrow();
            }
        }
        if (user.disabled()) throw new Refusal(Failure.DISABLED, user.email(), "the user is disabled");
        // the provider's groups decide the role when a roles claim is configured; else the role an owner set stays
        if (config.rolesClaim() != null || user.role() == null) {
            if (role == null) throw noRole(user.email());
            if (!role.word().equals(user.role())) accounts.users().setRole(user.id(), role.word());
            user = accounts.users().find(user.id()).orElseThrow();
        }
        return user;
    }

    private Refusal noRole(String email) {
        return new Refusal(Failure.ROLE, email, "no value of the claim " + config.rolesClaim() + " maps to a role and "
                + OidcConfig.DEFAULT_ROLE_ENV + " is none");
    }

    /** Audits a refusal and sends the browser to the sign-in page with its code. */
    private void fail(Context ctx, Refusal refusal) {
        audit.record(refusal.actor, "signin.failed", "user", null, Json.object().put("method", "oidc")
                .put("error", refusal.failure.code).put("reason", refusal.getMessage()).toString(), ctx.req().getRemoteAddr());
        ctx.redirect("/?sso_error=" + refusal.failure.code, HttpStatus.FOUND);
    }

    private void requireOn() {
        if (!config.enabled()) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, OidcConfig.ISSUER_ENV, "single sign-on is not configured on "
                    + "this server (set " + OidcConfig.ISSUER_ENV + ")");
        }
    }

    /** Where the provider sends the browser back to: the configured base, the public URL, or the address it used. */
    private String base(Context ctx) {
        if (config.redirectBase() != null) return config.redirectBase();
        if (publicUrl != null) return publicUrl;
        String proto = ctx.header("X-Forwarded-Proto");
        String scheme = proto != null && proto.equalsIgnoreCase("https") ? "https" : ctx.scheme();
        return scheme + "://" + ctx.host();
    }

    /** The browser-binding cookie: Lax, because the provider's redirect back is a cross-site navigation. */
    private static String browserCookie(Context ctx, String value, long maxAgeSeconds) {
        boolean https = "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return BROWSER_COOKIE + "=" + value + "; Path=" + CONFIG_PATH + "; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Lax" + (https ? "; Secure" : "");
    }

    private static String clip(String text) {
        String single = text.replaceAll("[\\r\\n\\t]", " ");
        return single.length() > 200 ? single.substring(0, 200) + "…" : single;
    }
}
