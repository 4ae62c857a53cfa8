package dev.weft.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Weft's side of the OpenID Connect authorization code flow, through Nimbus's OAuth 2.0 / OpenID Connect SDK: the
 * provider's metadata found once by discovery, the authorization request (state, nonce, PKCE S256), the code
 * exchanged at the token endpoint, and the ID token checked by the SDK's validator (signature against the
 * provider's JWKS, issuer, audience, nonce, expiry, with {@link #CLOCK_SKEW} of clock skew).
 */
public final class OidcProvider {

    /** How far apart Weft's and the provider's clocks may be when an ID token's times are checked. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    /** How long Weft waits for the provider to connect and to answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The largest JWKS document read. */
    private static final int JWKS_MAX_BYTES = 512 * 1024;

    /** Why a provider's answer was not accepted, in words for the audit log. */
    public static final class Refused extends Exception {
        public Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The discovered provider: its metadata and the ID token validator made from it. */
    private record Discovered(OIDCProviderMetadata metadata, IDTokenValidator validator) {}

    private final OidcConfig config;
    private volatile Discovered discovered;

    public OidcProvider(OidcConfig config) {
        this.config = config;
    }

    /** The URL to send a browser to: the provider's authorization endpoint with this sign-in's parameters. */
    public URI authorization(URI redirectUri, State state, Nonce nonce, CodeVerifier verifier) throws Refused {
        OIDCProviderMetadata metadata = discover().metadata();
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(config.scopes().toArray(String[]::new)),
                new ClientID(config.clientId()), redirectUri)
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    /**
     * Exchanges {@code code} for tokens and returns the ID token's claims once the validator accepted them.
     *
     * @throws Refused saying what was wrong (the exchange failed, or the ID token's issuer, audience, nonce, expiry
     *                 or signature)
     */
    public IDTokenClaimsSet signIn(AuthorizationCode code, URI redirectUri, CodeVerifier verifier, Nonce nonce)
            throws Refused {
        Discovered provider = discover();
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(code, redirectUri, verifier);
        URI endpoint = provider.metadata().getTokenEndpointURI();
        TokenRequest request = config.clientSecret() == null
                ? new TokenRequest(endpoint, new ClientID(config.clientId()), grant)
                : new TokenRequest(endpoint, secretPost(provider.metadata())
                        ? new ClientSecretPost(new ClientID(config.clientId()), new Secret(config.clientSecret()))
                        : new ClientSecretBasic(new ClientID(config.clientId()), new Secret(config.clientSecret())), grant);
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout((int) TIMEOUT.toMillis());
        http.setReadTimeout((int) TIMEOUT.toMillis());
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException | ParseException e) {
            throw new Refused("the provider's token endpoint failed: " + e.getMessage(), e);
        }
        if (!response.indicatesSuccess()) {
            TokenErrorResponse error = response.toErrorResponse();
            throw new Refused("the provider refused the code: " + error.getErrorObject().getCode()
                    + (error.getErrorObject().getDescription() == null ? "" : " (" + error.getErrorObject().getDescription() + ")"), null);
        }
        JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
        if (idToken == null) throw new Refused("the provider's answer has no ID token", null);
        try {
            return provider.validator().validate(idToken, nonce);
        } catch (BadJOSEException | JOSEException e) {
            throw new Refused("the ID token was refused: " + e.getMessage(), e);
        }
    }

    private static boolean secretPost(OIDCProviderMetadata metadata) {
        List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
        return methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
    }

    /** The provider's metadata and validator, discovered on first use (and again after a failure). */
    private Discovered discover() throws Refused {
        Discovered known = discovered;
        if (known != null) return known;
        synchronized (this) {
            if (discovered != null) return discovered;
            Issuer issuer = new Issuer(config.issuer());
            OIDCProviderMetadata metadata;
            try {
                metadata = OIDCProviderMetadata.resolve(issuer, (int) TIMEOUT.toMillis(), (int) TIMEOUT.toMillis());
            } catch (GeneralException | IOException e) {
                throw new Refused("discovery at " + config.issuer() + "/.well-known/openid-configuration failed: "
                        + e.getMessage(), e);
            }
            try {
                JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(),
                        new DefaultResourceRetriever((int) TIMEOUT.toMillis(), (int) TIMEOUT.toMillis(), JWKS_MAX_BYTES))
                        .retrying(true).build();
                IDTokenValidator validator = new IDTokenValidator(issuer, new ClientID(config.clientId()),
                        new JWSVerificationKeySelector<>(algorithms(metadata), keys), null);
                validator.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
                discovered = new Discovered(metadata, validator);
                return discovered;
            } catch (IOException | RuntimeException e) {
                throw new Refused("the provider's metadata is not usable: " + e.getMessage(), e);
            }
        }
    }

    /** The provider's ID token signing algorithms that use its public keys (never "none", never the client secret). */
    private static Set<JWSAlgorithm> algorithms(OIDCProviderMetadata metadata) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        List<JWSAlgorithm> stated = metadata.getIDTokenJWSAlgs();
        for (JWSAlgorithm algorithm : stated == null ? List.<JWSAlgorithm>of() : stated) {
            if (JWSAlgorithm.Family.RSA.contains(algorithm) || JWSAlgorithm.Family.EC.contains(algorithm)
                    || JWSAlgorithm.Family.ED.contains(algorithm)) {
                algorithms.add(algorithm);
            }
        }
        if (algorithms.isEmpty()) algorithms.add(JWSAlgorithm.RS256);   // what every provider must support
        return algorithms;
    }
}
