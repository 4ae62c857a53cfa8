package dev.weft.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** The writer's connection inside one transaction, with its prepared statements kept for reuse. */
public final class Tx {

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private boolean signalled;

    Tx(Connection connection) {
        this.connection = connection;
    }

    /** A prepared statement for {@code sql}, reused across transactions; its parameters are cleared. */
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        } else {
            statement.clearParameters();
        }
        return statement;
    }

    /**
     * Asks that other processes' workers be woken when this transaction commits (new or re-queued tasks). Many
     * signals in one transaction make one notification.
     */
    public void signal() {
        signalled = true;
    }

    boolean signalled() {
        return signalled;
    }

    /** Starts a new transaction on the same connection and statements. */
    void begin() {
        signalled = false;
    }

    public Connection connection() {
        return connection;
    }

    void closeStatements() {
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing on shutdown; nothing to recover
            }
        }
        statements.clear();
    }
}
