-- Issue 15: people sign in as themselves. Users (email + password hash), workspaces (one default now; the model
-- allows more later) and memberships with a role, sessions kept in the database (so every process sharing it and
-- every restart sees them), invitation links, and the append-only audit log of management changes.

CREATE TABLE users (
    id                  ${id_pk},
    email               TEXT    NOT NULL,
    password_hash       TEXT    NOT NULL,
    disabled_at         BIGINT,
    created_at          BIGINT  NOT NULL,
    password_changed_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE workspaces (
    id         ${id_pk},
    name       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
-- The default workspace: id 1 on both databases (the first row of an empty identity).
INSERT INTO workspaces (name, created_at) VALUES ('Default', 0);

CREATE TABLE memberships (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    role         TEXT   NOT NULL CHECK (role IN ('owner', 'editor', 'runner', 'viewer')),
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, workspace_id)
);

-- A session: a public id (listed on the account page) and the SHA-256 of the cookie's secret value; it ends when
-- idle past its idle limit or at expires_at, whichever comes first, and is deleted on sign-out, password change
-- and when its user is disabled.
CREATE TABLE user_sessions (
    id           TEXT   PRIMARY KEY,
    secret_hash  TEXT   NOT NULL,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    address      TEXT,
    user_agent   TEXT
);
CREATE UNIQUE INDEX user_sessions_secret ON user_sessions (secret_hash);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

-- An invitation link: only the SHA-256 of its token is kept; used once, before expires_at.
CREATE TABLE invitations (
    token_hash   TEXT   PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    role         TEXT   NOT NULL CHECK (role IN ('owner', 'editor', 'runner', 'viewer')),
    created_by   TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    accepted_at  BIGINT,
    accepted_by  BIGINT REFERENCES users (id) ON DELETE SET NULL
);

-- Who did what and when. Rows are only ever inserted, and deleted by the retention loop once older than
-- WEFT_AUDIT_RETENTION_DAYS; no code updates them.
CREATE TABLE audit_log (
    id          ${id_pk},
    at          BIGINT NOT NULL,
    actor       TEXT   NOT NULL,
    action      TEXT   NOT NULL,
    object_type TEXT,
    object_id   TEXT,
    detail      TEXT,
    address     TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
