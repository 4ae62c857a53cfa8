package dev.weft.store;

/**
 * The sign-in budgets' ledger (V22), shared by every process on the database and kept across restarts: an attempt
 * is written as a failure before its password is checked, and answered with the failures before it in each budget's
 * window, so parallel attempts see each other; a refused attempt's row is taken back, a right password's row is
 * deleted and its pair's earlier slips forgiven. Within one process attempts are written one after another (the
 * writer), so a budget is exact; attempts at the same instant in several processes on PostgreSQL may each pass
 * before seeing the others', by one per process at most.
 */
public final class JdbcSignInAttempts {

    /** The failures before an attempt in one budget's window, and when the oldest of them happened (0: none). */
    public record Window(int failures, long oldest) {}

    /**
     * An attempt written as a failure ({@code id}), with the failures before it per (account, address) (forgiven
     * slips left out), per address and per account, and when the address last signed in to the account (0: never).
     */
    public record Attempt(long id, Window pair, Window address, Window account, long knownAt) {}

    private static final String PRUNE_FAILURES = "DELETE FROM sign_in_failures WHERE at <= ?";
    private static final String PRUNE_KNOWN = "DELETE FROM sign_in_known WHERE at <= ?";
    private static final String INSERT = "INSERT INTO sign_in_failures (account, address, at) VALUES (?, ?, ?) RETURNING id";
    private static final String PAIR = """
            SELECT COUNT(*) AS n, MIN(at) AS oldest FROM sign_in_failures
            WHERE account = ? AND address = ? AND at > ? AND id < ? AND forgiven = 0""";
    private static final String ADDRESS = """
            SELECT COUNT(*) AS n, MIN(at) AS oldest FROM sign_in_failures WHERE address = ? AND at > ? AND id < ?""";
    private static final String ACCOUNT = """
            SELECT COUNT(*) AS n, MIN(at) AS oldest FROM sign_in_failures WHERE account = ? AND at > ? AND id < ?""";
    private static final String KNOWN = "SELECT at FROM sign_in_known WHERE account = ? AND address = ?";
    private static final String TAKE_BACK = "DELETE FROM sign_in_failures WHERE id = ?";
    private static final String FORGIVE = "UPDATE sign_in_failures SET forgiven = 1 WHERE account = ? AND address = ?";
    private static final String KNOW = """
            INSERT INTO sign_in_known (account, address, at) VALUES (?, ?, ?)
            ON CONFLICT (account, address) DO UPDATE SET at = excluded.at""";

    private final Database database;

    public JdbcSignInAttempts(Database database) {
        this.database = database;
    }

    /**
     * Writes an attempt at {@code at} as a failure and answers what came before it: failures after {@code horizon}
     * (the window's start), and the pair's last sign-in. Failures before the window and sign-ins before
     * {@code knownHorizon} are deleted in the same transaction.
     */
    public Attempt attempt(String account, String address, long at, long horizon, long knownHorizon) {
        return database.writer().run(tx -> {
            Rows.update(tx, PRUNE_FAILURES, horizon);
            Rows.update(tx, PRUNE_KNOWN, knownHorizon);
            long id = Rows.one(tx, INSERT, row -> row.getLong(1), account, address, at)
                    .orElseThrow(() -> new StoreException("no id for a sign-in attempt", null));
            Window pair = window(tx, PAIR, account, address, horizon, id);
            Window fromAddress = window(tx, ADDRESS, address, horizon, id);
            Window forAccount = window(tx, ACCOUNT, account, horizon, id);
            long knownAt = Rows.one(tx, KNOWN, row -> row.getLong(1), account, address).orElse(0L);
            return new Attempt(id, pair, fromAddress, forAccount, knownAt);
        });
    }

    /** The attempt was refused before its password was checked: it is no failure. */
    public void refused(long id) {
        database.writer().run(tx -> Rows.update(tx, TAKE_BACK, id));
    }

    /**
     * The attempt's password was right: its row goes, the pair's earlier slips no longer count for the pair (they
     * still do for the address and the account), and the address is known for the account from {@code at}.
     */
    public void signedIn(long id, String account, String address, long at) {
        database.writer().run(tx -> {
            Rows.update(tx, TAKE_BACK, id);
            Rows.update(tx, FORGIVE, account, address);
            return Rows.update(tx, KNOW, account, address, at);
        });
    }

    private static Window window(Tx tx, String sql, Object... params) throws java.sql.SQLException {
        return Rows.one(tx, sql, row -> new Window(row.getInt("n"), row.getLong("oldest")), params)
                .orElse(new Window(0, 0));
    }
}
