-- Webhook triggers (issue 16): a flow's `POST /hooks/{token}` endpoints. The token is never stored: `token_hash` is
-- the SHA-256 (hex) of it, looked up by equality (a hash of a 256-bit random token cannot be guessed from timing).
-- `settings` is JSON: the signature check (its preset and the name of the credential holding the shared secret, so
-- no secret is stored here), the JSONata mapping, the answer mode and the limits. A revoked webhook keeps its row
-- (revoked_at) and answers 404 like an unknown token until its token is rotated.
CREATE TABLE webhooks (
    id          TEXT    PRIMARY KEY,
    flow_id     BIGINT  NOT NULL,
    name        TEXT    NOT NULL,
    token_hash  TEXT    NOT NULL UNIQUE,
    settings    TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    rotated_at  BIGINT,
    revoked_at  BIGINT
);
CREATE INDEX webhooks_flow ON webhooks (flow_id);

-- Which webhook started a task: written in the accept's transaction, so a task and its mark commit together.
CREATE TABLE webhook_tasks (
    task_id     BIGINT  PRIMARY KEY,
    webhook_id  TEXT    NOT NULL
);
CREATE INDEX webhook_tasks_webhook ON webhook_tasks (webhook_id, task_id);

-- Deliveries seen lately, for replay protection: a signed delivery's key (Stripe's timestamp and signature, GitHub's
-- delivery id) is claimed in the accept's transaction; a second delivery with the same key within the webhook's
-- tolerance is refused. Rows older than the tolerance are deleted as new ones come.
CREATE TABLE webhook_deliveries (
    webhook_id    TEXT    NOT NULL,
    delivery_key  TEXT    NOT NULL,
    task_id       BIGINT,
    created_at    BIGINT  NOT NULL,
    PRIMARY KEY (webhook_id, delivery_key)
);
