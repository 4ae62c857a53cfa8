-- Knowledge bases (issue 12): documents in, passages out. The database is the truth: a KB's settings, each
-- document's bytes and ingest state, and every chunk with its text, source and embedding live here; the Lucene
-- index in each process's data folder is derived from these rows and kept in step through kb_changes.
-- ${bytes} is the dialect's binary type (BLOB / BYTEA); embeddings are float32 little-endian.

CREATE TABLE knowledge_bases (
    id                 ${id_pk},
    name               TEXT    NOT NULL UNIQUE,
    description        TEXT,
    embedding_provider TEXT    NOT NULL CHECK (embedding_provider IN ('local', 'openai')),
    embedding_model    TEXT    NOT NULL,
    dimension          INTEGER NOT NULL CHECK (dimension > 0),
    embedding_url      TEXT,
    credential         TEXT,
    chunk_tokens       INTEGER NOT NULL CHECK (chunk_tokens > 0),
    chunk_overlap      INTEGER NOT NULL CHECK (chunk_overlap >= 0),
    -- bumped, under this row's lock, by every change to the KB's searchable chunks: changes commit in order
    version            BIGINT  NOT NULL DEFAULT 0,
    created_at         BIGINT  NOT NULL
);

-- One uploaded document and its ingest: queued -> parsing -> embedding -> ready, or failed with a reason.
-- `generation` grows with each re-index, so that a worker still busy with an older one can write nothing.
-- `lease_owner`/`lease_until`: the process ingesting it (like a task's lease); an expired lease is taken over.
CREATE TABLE kb_documents (
    id           ${id_pk},
    kb_id        BIGINT  NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
    source_name  TEXT    NOT NULL,
    media_type   TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    sha256       TEXT    NOT NULL,
    metadata     TEXT    NOT NULL,
    content      ${bytes} NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('queued', 'parsing', 'embedding', 'ready', 'failed')),
    reason       TEXT,
    chunks_done  INTEGER NOT NULL DEFAULT 0,
    chunks_total INTEGER,
    generation   INTEGER NOT NULL DEFAULT 1,
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease_owner  TEXT,
    lease_until  BIGINT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
CREATE INDEX kb_documents_kb ON kb_documents (kb_id, id);
CREATE INDEX kb_documents_unfinished ON kb_documents (status, id) WHERE status IN ('queued', 'parsing', 'embedding');

CREATE TABLE kb_chunks (
    id           ${id_pk},
    kb_id        BIGINT  NOT NULL,
    document_id  BIGINT  NOT NULL REFERENCES kb_documents (id) ON DELETE CASCADE,
    ordinal      INTEGER NOT NULL,
    text         TEXT    NOT NULL,
    page         INTEGER,
    section      TEXT,
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    tokens       INTEGER NOT NULL,
    metadata     TEXT    NOT NULL,
    embedding    ${bytes},
    UNIQUE (document_id, ordinal)
);

-- What each process's index must apply, in order: `ready` (index the document's chunks, replacing any it has)
-- or `removed` (drop them). `version` is the KB's version that this change set.
CREATE TABLE kb_changes (
    kb_id       BIGINT  NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
    version     BIGINT  NOT NULL,
    document_id BIGINT  NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('ready', 'removed')),
    PRIMARY KEY (kb_id, version)
);
