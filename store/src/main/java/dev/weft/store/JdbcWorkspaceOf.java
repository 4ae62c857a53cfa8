package dev.weft.store;

import java.util.OptionalLong;

/**
 * The workspace an object named by id belongs to, for the one check every route naming an object makes: a server
 * key, a stored file, a knowledge base. Empty when no such object exists (the route then answers its own 404).
 */
public final class JdbcWorkspaceOf {

    private static final String KEY = "SELECT workspace_id FROM server_keys WHERE id = ?";
    private static final String FILE = "SELECT workspace_id FROM files WHERE id = ?";
    private static final String KNOWLEDGE_BASE = "SELECT workspace_id FROM knowledge_bases WHERE id = ?";

    private final Database database;

    public JdbcWorkspaceOf(Database database) {
        this.database = database;
    }

    public OptionalLong key(String id) {
        return one(KEY, id);
    }

    public OptionalLong file(String id) {
        return one(FILE, id);
    }

    public OptionalLong knowledgeBase(long id) {
        return one(KNOWLEDGE_BASE, id);
    }

    private OptionalLong one(String sql, Object id) {
        return Rows.one(database.readers(), sql, row -> row.getLong(1), id)
                .map(OptionalLong::of).orElse(OptionalLong.empty());
    }
}
