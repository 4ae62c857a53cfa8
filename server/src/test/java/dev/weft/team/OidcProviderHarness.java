package dev.weft.team;

import dev.weft.auth.MemberRole;
import dev.weft.auth.OidcConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OpenID Connect provider for the sign-on tests: navikt's mock-oauth2-server on 127.0.0.1 at a free port,
 * serving discovery, JWKS, the authorization and token endpoints (and, when interactive, a login form).
 */
public final class OidcProviderHarness implements AutoCloseable {

    public static final String ISSUER_ID = "default";
    public static final String CLIENT_ID = "weft";
    public static final String CLIENT_SECRET = "weft-secret";

    private final MockOAuth2Server server;

    public OidcProviderHarness(boolean interactive) {
        server = new MockOAuth2Server(new OAuth2Config(interactive, null, null, false, new OAuth2TokenProvider(),
                java.util.Set.of(), new NettyWrapper()));
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public String issuer() {
        return server.issuerUrl(ISSUER_ID).toString().replaceAll("/+$", "");
    }

    /** The next token the provider issues is shaped by {@code callback} (subject, claims, expiry). */
    public void enqueue(OAuth2TokenCallback callback) {
        server.enqueueCallback(callback);
    }

    /** Weft's configuration for this provider: example.com only, {@code groups} mapped to roles, viewer by default. */
    public OidcConfig config(String label) {
        return new OidcConfig(URI.create(issuer()), CLIENT_ID, CLIENT_SECRET, null, List.of("example.com"), "groups",
                Map.of("weft-owners", MemberRole.OWNER, "weft-editors", MemberRole.EDITOR, "weft-runners", MemberRole.RUNNER),
                MemberRole.VIEWER, label, null);
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
