package dev.weft.store;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Single sign-on's tables (V19): sign-ins under way, each taken once, and the identities that link a provider's
 * (issuer, subject) to a user. A user made at a first sign-in is made with its membership and identity in one
 * transaction, so a crash never leaves a user no identity leads to.
 */
public final class JdbcOidcStore {

    private static final String SAVE = """
            INSERT INTO oidc_requests (state_hash, browser_hash, nonce, code_verifier, redirect_uri, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    private static final String PRUNE = "DELETE FROM oidc_requests WHERE expires_at <= ?";
    private static final String REQUEST = """
            SELECT browser_hash, nonce, code_verifier, redirect_uri, created_at, expires_at
            FROM oidc_requests WHERE state_hash = ?""";
    private static final String TAKE = "DELETE FROM oidc_requests WHERE state_hash = ?";
    private static final String USER_OF = "SELECT user_id FROM oidc_identities WHERE issuer = ? AND subject = ?";
    private static final String SEEN = "UPDATE oidc_identities SET last_seen_at = ?, email = ? WHERE issuer = ? AND subject = ?";
    private static final String LINK = """
            INSERT INTO oidc_identities (issuer, subject, user_id, email, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (issuer, subject) DO NOTHING""";
    private static final String INSERT_USER = """
            INSERT INTO users (email, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (email) DO NOTHING""";
    private static final String ID_OF = "SELECT id FROM users WHERE email = ?";
    private static final String MEMBER = """
            INSERT INTO memberships (user_id, workspace_id, role, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (user_id, workspace_id) DO NOTHING""";

    private final Database database;
    private final Clock clock;

    public JdbcOidcStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Keeps a sign-in under way, found later by {@code stateHash}; sign-ins that expired are forgotten now. */
    public void save(String stateHash, OidcRequestRecord request) {
        database.writer().run(tx -> {
            Rows.update(tx, PRUNE, clock.millis());
            return Rows.update(tx, SAVE, stateHash, request.browserHash(), request.nonce(), request.codeVerifier(),
                    request.redirectUri(), request.createdAt().toEpochMilli(), request.expiresAt().toEpochMilli());
        });
    }

    /** The sign-in with {@code stateHash}, deleted in the same transaction: a state is good for one answer only. */
    public Optional<OidcRequestRecord> take(String stateHash) {
        return Optional.ofNullable(database.writer().run(tx -> {
            OidcRequestRecord found = Rows.one(tx, REQUEST, row -> new OidcRequestRecord(row.getString("browser_hash"),
                    row.getString("nonce"), row.getString("code_verifier"), row.getString("redirect_uri"),
                    Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("expires_at"))),
                    stateHash).orElse(null);
            return found != null && Rows.update(tx, TAKE, stateHash) == 1 ? found : null;
        }));
    }

    /** The user linked to the provider's {@code subject} at {@code issuer}, recording the sign-in and its email. */
    public Optional<Long> userOf(String issuer, String subject, String email) {
        Optional<Long> user = Rows.one(database.readers(), USER_OF, row -> row.getLong(1), issuer, subject);
        user.ifPresent(id -> database.writer().run(tx -> Rows.update(tx, SEEN, clock.millis(), email, issuer, subject)));
        return user;
    }

    /** Links the provider's {@code subject} to an existing user; false when it is linked already. */
    public boolean link(String issuer, String subject, long userId, String email) {
        long now = clock.millis();
        return database.writer().run(tx -> Rows.update(tx, LINK, issuer, subject, userId, email, now, now)) == 1;
    }

    /**
     * Makes a user with {@code role} in the default workspace and links the identity to it, in one transaction;
     * empty when the email is taken (or the identity was linked meanwhile), and then nothing is made.
     */
    public Optional<Long> createUser(String issuer, String subject, String email, String passwordHash, String role) {
        long now = clock.millis();
        return Optional.ofNullable(database.writer().run(tx -> {
            if (Rows.one(tx, USER_OF, row -> row.getLong(1), issuer, subject).isPresent()) return null;
            if (Rows.update(tx, INSERT_USER, email, passwordHash, now, now) == 0) return null;
            long made = Rows.one(tx, ID_OF, row -> row.getLong(1), email).orElseThrow();
            Rows.update(tx, MEMBER, made, JdbcUserStore.DEFAULT_WORKSPACE, role, now);
            Rows.update(tx, LINK, issuer, subject, made, email, now, now);
            return made;
        }));
    }
}
