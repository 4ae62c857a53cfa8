-- Hosted forms (issue 16 item 3): a published flow shared as a page at /forms/{token}. `token` is the random,
-- unguessable part of the link (the link is shown again to the admin, so it is kept as it is); `password` is null
-- or a PBKDF2 hash (pbkdf2-sha256$<iterations>$<salt>$<hash>); `cookie_key` signs the cookies that a right
-- password unlocks, and is replaced whenever the password or the token changes, so earlier cookies stop working.
CREATE TABLE forms (
    id          ${id_pk},
    flow_id     BIGINT  NOT NULL REFERENCES flows (id),
    token       TEXT    NOT NULL UNIQUE,
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL,
    password    TEXT,
    cookie_key  TEXT    NOT NULL,
    enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE INDEX forms_flow ON forms (flow_id);

-- A task started by a form's submission: `handle` is the SHA-256 (hex) of the random handle the submitter was
-- given, the only way to read the task's result from the form's page. Kept when the form is deleted, so a task
-- still names the form that started it.
CREATE TABLE form_submissions (
    handle      TEXT    PRIMARY KEY,
    form_id     BIGINT  NOT NULL,
    task_id     BIGINT  NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL
);
