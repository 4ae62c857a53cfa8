package dev.weft.store;

import java.time.Instant;

/**
 * A single sign-on under way, as stored while the browser is at the provider: the SHA-256 of the cookie that binds
 * it to that browser, the nonce the ID token must carry, the PKCE verifier and the redirect URI the code is for.
 */
public record OidcRequestRecord(String browserHash, String nonce, String codeVerifier, String redirectUri,
                                Instant createdAt, Instant expiresAt) {}
