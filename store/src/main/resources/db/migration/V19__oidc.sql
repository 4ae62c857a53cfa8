-- Issue 15 item 4: single sign-on through OpenID Connect. A person who signed in through a provider is linked to
-- their user by the provider's (issuer, subject) pair, never by email alone; a sign-in under way keeps its state,
-- nonce and PKCE verifier here (not in one process's memory), so the provider may send the browser back to any
-- process sharing the database.

CREATE TABLE oidc_identities (
    issuer        TEXT   NOT NULL,
    subject       TEXT   NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email         TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_identities_user ON oidc_identities (user_id);

-- A sign-in sent to the provider and not back yet: found by the SHA-256 of its state, used once (deleted when
-- the browser comes back), bound to the browser that started it by the SHA-256 of a cookie, and refused after
-- expires_at; rows left behind are deleted when later sign-ins start.
CREATE TABLE oidc_requests (
    state_hash    TEXT   PRIMARY KEY,
    browser_hash  TEXT   NOT NULL,
    nonce         TEXT   NOT NULL,
    code_verifier TEXT   NOT NULL,
    redirect_uri  TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX oidc_requests_expires ON oidc_requests (expires_at);
