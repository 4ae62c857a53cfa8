-- Stored credentials (provider API keys, HTTP auth secrets) that node settings name. The secret is never stored in
-- clear: `secret` is base64 of a 12-byte nonce followed by the AES-256-GCM ciphertext and tag, with the name as
-- associated data, under the master key (WEFT_MASTER_KEY, or the key file in the data folder). `hosts`: a JSON
-- array of the host names (or *.domain patterns) the secret may be sent to; null for any host.

CREATE TABLE credentials (
    name        TEXT    PRIMARY KEY,
    description TEXT,
    secret      TEXT    NOT NULL,
    hosts       TEXT,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
