-- Sign-in budgets that every process shares and a restart keeps (auth/SignInGuard): each wrong password (and each
-- attempt while its password is being checked) is a row; a right password deletes its own row and marks the earlier
-- slips of its (account, address) forgiven, which then no longer count for that pair but still for the address and
-- the account, as before. An address that signed in successfully is known for the account for 30 days. Rows older
-- than their window are deleted as attempts come.
CREATE TABLE sign_in_failures (
    id        ${id_pk},
    account   TEXT    NOT NULL,
    address   TEXT    NOT NULL,
    at        BIGINT  NOT NULL,
    forgiven  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sign_in_failures_pair ON sign_in_failures (account, address, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);
CREATE INDEX sign_in_failures_account ON sign_in_failures (account, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);

CREATE TABLE sign_in_known (
    account   TEXT   NOT NULL,
    address   TEXT   NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (account, address)
);
CREATE INDEX sign_in_known_at ON sign_in_known (at);
