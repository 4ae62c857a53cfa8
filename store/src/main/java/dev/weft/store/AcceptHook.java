package dev.weft.store;

import java.sql.SQLException;

/**
 * Work done in the same transaction as a task's insert, so that the task and what belongs to it (an idempotency
 * key, a callback) commit together or not at all: before the insert it may name an existing task to answer with
 * instead (then nothing is inserted), and after the insert it writes its rows with the new task's id.
 */
public interface AcceptHook {

    AcceptHook NONE = new AcceptHook() {};

    /** Before the insert: the id of an existing task to answer with instead of inserting one, or null to go on. */
    default Long existing(Tx tx) throws SQLException {
        return null;
    }

    /** After the insert, in the same transaction. */
    default void inserted(Tx tx, long taskId) throws SQLException {}

    /** After the transaction that inserted the task committed (not called when an existing task was found). */
    default void committed(long taskId) {}

    /** One hook that runs each of {@code hooks} in order; the first existing task found wins. */
    static AcceptHook of(AcceptHook... hooks) {
        return new AcceptHook() {
            @Override
            public Long existing(Tx tx) throws SQLException {
                for (AcceptHook hook : hooks) {
                    Long id = hook.existing(tx);
                    if (id != null) return id;
                }
                return null;
            }

            @Override
            public void inserted(Tx tx, long taskId) throws SQLException {
                for (AcceptHook hook : hooks) hook.inserted(tx, taskId);
            }

            @Override
            public void committed(long taskId) {
                for (AcceptHook hook : hooks) hook.committed(taskId);
            }
        };
    }
}
