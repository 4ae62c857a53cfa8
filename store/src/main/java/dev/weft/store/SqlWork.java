package dev.weft.store;

import java.sql.SQLException;

/** A unit of database work run inside a {@link GroupCommit} transaction. */
@FunctionalInterface
public interface SqlWork<T> {

    T run(Tx tx) throws SQLException;
}
