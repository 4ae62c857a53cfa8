package dev.weft.auth;

import dev.weft.store.Database;
import dev.weft.store.JdbcUserStore;
import java.util.Set;

/**
 * Which workspace ids exist, as the admin token's {@value Callers#WORKSPACE_HEADER} header is checked against them:
 * the known ids are kept and read again only when an id is not among them (a workspace is never deleted), so a
 * request naming a known workspace costs no query.
 */
public interface WorkspaceIds {

    /** Only the default workspace. */
    WorkspaceIds DEFAULT_ONLY = id -> id == Database.DEFAULT_WORKSPACE;

    boolean exists(long id);

    /** The workspaces of {@code users}' database. */
    static WorkspaceIds of(JdbcUserStore users) {
        return new WorkspaceIds() {
            private volatile Set<Long> known = Set.of(Database.DEFAULT_WORKSPACE);

            @Override
            public boolean exists(long id) {
                if (known.contains(id)) return true;
                known = Set.copyOf(users.workspaceIds());
                return known.contains(id);
            }
        };
    }
}
