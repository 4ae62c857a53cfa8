package dev.weft.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.auth.OidcApi;
import dev.weft.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on end to end over real HTTP: Weft on loopback and a real OpenID Connect provider (mock-oauth2-server)
 * beside it, the browser's part played by an HTTP client that follows each redirect by hand. Covers first and later
 * sign-ins, the claim-to-role mapping, and every refusal the issue names (issuer, audience, nonce, expiry, state,
 * domain, disabled user), each of which must create nothing and leave an audit entry; and session fixation.
 */
class OidcSignInTest {

    static OidcProviderHarness provider;
    static TestServer server;
    static Browsers.Signed owner;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        provider = new OidcProviderHarness(false);
        server = TestServer.startWith(config -> config.withOidc(provider.config("Acme SSO")));
        owner = Browsers.firstOwner(server, "owner@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
        provider.close();
    }

    /** Where a sign-in ended: the sign-in's last redirect, the session cookie it set (or null), the callback's URL. */
    record Outcome(String location, String sessionCookie, String callbackUrl, String browserCookie) {
        String error() {
            int at = location.indexOf("sso_error=");
            return at < 0 ? null : location.substring(at + "sso_error=".length());
        }
    }

    static DefaultOAuth2TokenCallback token(String subject, Map<String, Object> claims, long expirySeconds) {
        return new DefaultOAuth2TokenCallback(OidcProviderHarness.ISSUER_ID, subject, "JWT", null, claims, expirySeconds);
    }

    static Map<String, Object> person(String email, String... groups) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("email", email);
        claims.put("email_verified", true);
        claims.put("groups", List.of(groups));
        return claims;
    }

    /** A whole round trip: Weft's start, the provider's authorization endpoint, Weft's callback with {@code cookies}. */
    static Outcome signIn(DefaultOAuth2TokenCallback callback, String extraCookie) {
        HttpResponse<String> start = get(server.base() + OidcApi.START_PATH, null);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
        String authorize = start.headers().firstValue("Location").orElseThrow();
        assertThat(authorize).startsWith(provider.issuer()).contains("code_challenge_method=S256", "nonce=", "state=");
        String browserCookie = cookie(start, OidcApi.BROWSER_COOKIE);
        provider.enqueue(callback);
        HttpResponse<String> atProvider = get(authorize, null);
        assertThat(atProvider.statusCode()).as(atProvider.body()).isEqualTo(302);
        String callbackUrl = atProvider.headers().firstValue("Location").orElseThrow();
        assertThat(callbackUrl).startsWith(server.base() + OidcApi.CALLBACK_PATH);
        return callback(callbackUrl, browserCookie, extraCookie);
    }

    static Outcome callback(String callbackUrl, String browserCookie, String extraCookie) {
        String cookies = browserCookie == null ? extraCookie : extraCookie == null ? browserCookie : browserCookie + "; " + extraCookie;
        HttpResponse<String> back = get(callbackUrl, cookies);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        String session = cookie(back, "weft_session");
        return new Outcome(back.headers().firstValue("Location").orElseThrow(), session, callbackUrl, browserCookie);
    }

    static HttpResponse<String> get(String url, String cookies) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (cookies != null) request.header("Cookie", cookies);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code name=value} of the cookie {@code name} the answer sets with a value, or null. */
    static String cookie(HttpResponse<String> response, String name) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.substring(0, header.indexOf(';'));
            if (pair.startsWith(name + "=") && pair.length() > name.length() + 1) return pair;
        }
        return null;
    }

    static JsonNode session(String sessionCookie) {
        HttpResponse<String> answer = get(server.base() + "/api/v1/session", sessionCookie);
        assertThat(answer.statusCode()).isEqualTo(200);
        return Json.read(answer.body());
    }

    static List<String> members() {
        List<String> emails = new ArrayList<>();
        Browsers.send(server, "GET", "/api/v1/members", null, owner).json().path("members")
                .forEach(m -> emails.add(m.path("email").asText()));
        return emails;
    }

    static List<JsonNode> audit(String action, String actor) {
        List<JsonNode> entries = new ArrayList<>();
        Browsers.send(server, "GET", "/api/v1/audit?action=" + action + "&actor=" + actor, null, owner).json()
                .path("entries").forEach(entries::add);
        return entries;
    }

    /** Asserts a refusal: back to the sign-in page with {@code error}, no session, no user, one audit entry saying why. */
    static void refused(Outcome outcome, String error, String actor, String reasonPart) {
        List<String> before = members();
        assertThat(outcome.error()).as(outcome.location()).isEqualTo(error);
        assertThat(outcome.location()).startsWith("/?sso_error=");
        assertThat(outcome.sessionCookie()).isNull();
        assertThat(members()).isEqualTo(before);
        List<JsonNode> failed = audit("signin.failed", actor);
        assertThat(failed).as("audit entries of " + actor).isNotEmpty();
        assertThat(failed.get(0).path("detail").path("reason").asText()).containsIgnoringCase(reasonPart);
        assertThat(failed.get(0).path("detail").path("error").asText()).isEqualTo(error);
    }

    @Test
    void the_sign_in_page_learns_that_sso_is_on_and_its_label() {
        JsonNode config = Json.read(get(server.base() + OidcApi.CONFIG_PATH, null).body());
        assertThat(config.path("enabled").asBoolean()).isTrue();
        assertThat(config.path("label").asText()).isEqualTo("Acme SSO");
        assertThat(config.path("start_url").asText()).isEqualTo(OidcApi.START_PATH);
    }

    @Test
    void first_sign_in_makes_the_user_with_the_mapped_role_and_the_second_reuses_it() {
        Outcome first = signIn(token("sam-subject", person("Sam@Example.com", "weft-editors"), 3600), null);
        assertThat(first.location()).isEqualTo("/");
        JsonNode signedIn = session(first.sessionCookie());
        assertThat(signedIn.path("signed_in").asBoolean()).isTrue();
        assertThat(signedIn.path("user").path("email").asText()).isEqualTo("sam@example.com");
        assertThat(signedIn.path("user").path("role").asText()).isEqualTo("editor");
        assertThat(signedIn.path("csrf_token").asText()).isNotEmpty();
        long id = signedIn.path("user").path("id").asLong();
        // the session works like a password sign-in's: reads with the cookie, writes with its CSRF token
        assertThat(get(server.base() + "/api/v1/flows", first.sessionCookie()).statusCode()).isEqualTo(200);

        Outcome second = signIn(token("sam-subject", person("sam@example.com", "weft-editors"), 3600), null);
        assertThat(second.location()).isEqualTo("/");
        assertThat(second.sessionCookie()).isNotEqualTo(first.sessionCookie());
        assertThat(session(second.sessionCookie()).path("user").path("id").asLong()).isEqualTo(id);
        assertThat(members().stream().filter("sam@example.com"::equals)).hasSize(1);
        assertThat(audit("signin.oidc", "sam@example.com")).hasSize(2);
        // made by single sign-on, the user has no password: a password sign-in is refused like any wrong one
        assertThat(Browsers.signIn(server, "sam@example.com", "anything at all").status()).isEqualTo(401);
    }

    @Test
    void the_role_follows_the_groups_claim_the_highest_mapped_group_wins_and_unmapped_gets_the_default() {
        Outcome owner = signIn(token("kim-subject", person("kim@example.com", "weft-runners", "weft-owners", "other"), 3600), null);
        assertThat(session(owner.sessionCookie()).path("user").path("role").asText()).isEqualTo("owner");
        Outcome runner = signIn(token("kim-subject", person("kim@example.com", "weft-runners"), 3600), null);
        assertThat(session(runner.sessionCookie()).path("user").path("role").asText()).isEqualTo("runner");
        Outcome viewer = signIn(token("kim-subject", person("kim@example.com", "sales"), 3600), null);
        assertThat(session(viewer.sessionCookie()).path("user").path("role").asText()).isEqualTo("viewer");
    }

    @Test
    void an_id_token_from_another_issuer_is_refused() {
        Map<String, Object> claims = person("iss@example.com");
        claims.put("iss", "http://127.0.0.1:1/evil");
        refused(signIn(token("iss-subject", claims, 3600), null), "token", "oidc", "issuer");
    }

    @Test
    void an_id_token_for_another_client_is_refused() {
        Map<String, Object> claims = person("aud@example.com");
        claims.put("aud", List.of("another-client"));
        refused(signIn(token("aud-subject", claims, 3600), null), "token", "oidc", "audience");
    }

    @Test
    void an_id_token_with_a_wrong_or_missing_nonce_is_refused() {
        Map<String, Object> wrong = person("nonce@example.com");
        wrong.put("nonce", "a-nonce-weft-never-sent");
        refused(signIn(token("nonce-subject", wrong, 3600), null), "token", "oidc", "nonce");
        Map<String, Object> missing = person("nonce2@example.com");
        missing.put("nonce", null);   // removes the claim the provider would add
        refused(signIn(token("nonce2-subject", missing, 3600), null), "token", "oidc", "nonce");
    }

    @Test
    void an_expired_id_token_is_refused_beyond_the_clock_skew() {
        refused(signIn(token("old-subject", person("old@example.com"), -600), null), "token", "oidc", "expired");
    }

    @Test
    void a_forged_state_a_replayed_one_and_one_from_another_browser_are_refused() {
        HttpResponse<String> start = get(server.base() + OidcApi.START_PATH, null);
        String browser = cookie(start, OidcApi.BROWSER_COOKIE);
        refused(callback(server.base() + OidcApi.CALLBACK_PATH + "?code=abc&state=forged-state", browser, null),
                "state", "oidc", "unknown or already used state");

        Outcome good = signIn(token("replay-subject", person("replay@example.com"), 3600), null);
        assertThat(good.location()).isEqualTo("/");
        List<String> before = members();
        Outcome replay = callback(good.callbackUrl(), good.browserCookie(), null);
        assertThat(replay.error()).isEqualTo("state");
        assertThat(replay.sessionCookie()).isNull();
        assertThat(members()).isEqualTo(before);

        // a state started by one browser, brought back by another (login CSRF): refused
        HttpResponse<String> victimStart = get(server.base() + OidcApi.START_PATH, null);
        String attackerBrowser = cookie(get(server.base() + OidcApi.START_PATH, null), OidcApi.BROWSER_COOKIE);
        // (nothing is enqueued: Weft refuses before it asks the provider for a token)
        String callbackUrl = get(victimStart.headers().firstValue("Location").orElseThrow(), null).headers()
                .firstValue("Location").orElseThrow();
        refused(callback(callbackUrl, attackerBrowser, null), "state", "oidc", "another browser");
    }

    @Test
    void an_email_outside_the_allowed_domains_is_refused_with_nothing_made() {
        refused(signIn(token("far-subject", person("far@elsewhere.org", "weft-owners"), 3600), null), "domain",
                "far@elsewhere.org", "outside the allowed email domains");
        assertThat(members()).doesNotContain("far@elsewhere.org");
    }

    @Test
    void a_disabled_user_is_refused() {
        Outcome first = signIn(token("lee-subject", person("lee@example.com"), 3600), null);
        long id = session(first.sessionCookie()).path("user").path("id").asLong();
        assertThat(Browsers.send(server, "POST", "/api/v1/members/" + id + "/disable", "{}", owner).status()).isLessThan(300);
        refused(signIn(token("lee-subject", person("lee@example.com"), 3600), null), "disabled", "lee@example.com", "disabled");
    }

    @Test
    void a_session_cookie_brought_to_the_callback_is_ended_and_never_reused() {
        Browsers.Signed planted = Browsers.signed("owner@example.com", Browsers.signIn(server, "owner@example.com", Browsers.PASSWORD));
        Outcome outcome = signIn(token("fix-subject", person("fix@example.com"), 3600), planted.cookie());
        assertThat(outcome.location()).isEqualTo("/");
        assertThat(outcome.sessionCookie()).isNotEqualTo(planted.cookie());
        assertThat(session(outcome.sessionCookie()).path("user").path("email").asText()).isEqualTo("fix@example.com");
        assertThat(get(server.base() + "/api/v1/flows", planted.cookie()).statusCode()).isEqualTo(401);
    }

    @Test
    void an_email_of_an_existing_user_is_linked_only_when_the_provider_verified_it() {
        Browsers.Signed invited = Browsers.member(server, owner, "ann@example.com", "runner");
        Map<String, Object> unverified = person("ann@example.com");
        unverified.remove("email_verified");
        refused(signIn(token("ann-subject", unverified, 3600), null), "taken", "ann@example.com", "not linked");
        Outcome linked = signIn(token("ann-subject", person("ann@example.com", "weft-editors"), 3600), null);
        JsonNode who = session(linked.sessionCookie()).path("user");
        assertThat(who.path("id").asLong()).isEqualTo(invited.userId());
        assertThat(who.path("role").asText()).isEqualTo("editor");
    }
}
