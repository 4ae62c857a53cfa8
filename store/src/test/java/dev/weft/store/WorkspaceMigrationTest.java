package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.store.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Migration V18 on both databases: rows written at V17 (a flow with a task, a key, a file, an audit entry, a
 * credential, an MCP server, a knowledge base with a document) all land in the default workspace 1 with nothing lost;
 * the knowledge base's documents survive SQLite's table rebuild and still go with it when it is deleted; and the
 * names that were unique on the whole server are unique per workspace.
 */
class WorkspaceMigrationTest {

    @TempDir
    Path dataDir;
    private Database database;

    @AfterEach
    void close() {
        if (database != null) database.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void rows_of_v17_move_into_the_default_workspace_and_names_become_unique_per_workspace(String dialect)
            throws SQLException {
        String url = dialect.equals("sqlite") ? "jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME).toAbsolutePath()
                : TestPostgres.newDatabase();
        Dialect sql = dialect.equals("sqlite") ? Dialect.SQLITE : Dialect.POSTGRESQL;
        Flyway before = Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration")
                .placeholders(sql.placeholders()).target("17").load();
        before.migrate();
        try (Connection connection = before.getConfiguration().getDataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO flows (name, document, created_at, updated_at) VALUES ('old', '{}', 1, 1)");
            statement.executeUpdate("INSERT INTO flow_versions (flow_id, version, document, created_at) VALUES (1, 1, '{}', 1)");
            statement.executeUpdate("INSERT INTO tasks (flow_id, flow_version, state, start_node, end_node, result_node,"
                    + " created_at) VALUES (1, 1, 'completed', 's', 'e', 'e', 1)");
            statement.executeUpdate("INSERT INTO server_keys (id, name, secret_hash, created_at) VALUES ('k1', 'key', 'h', 1)");
            statement.executeUpdate("INSERT INTO files (id, name, content_type, size, sha256, created_at)"
                    + " VALUES ('f1', 'a.txt', 'text/plain', 1, 'x', 1)");
            statement.executeUpdate("INSERT INTO audit_log (at, actor, action) VALUES (1, 'admin token', 'flow.create')");
            statement.executeUpdate("INSERT INTO credentials (name, secret, created_at, updated_at, type, rotated_at)"
                    + " VALUES ('openai', 'sealed', 1, 2, 'bearer', 3)");
            statement.executeUpdate("INSERT INTO mcp_servers (name, transport, url, headers, args, created_at, updated_at)"
                    + " VALUES ('tools', 'http', 'http://127.0.0.1:1/mcp', '{}', '[]', 1, 1)");
            statement.executeUpdate("INSERT INTO knowledge_bases (name, embedding_provider, embedding_model, dimension,"
                    + " chunk_tokens, chunk_overlap, version, created_at) VALUES ('docs', 'local', 'm', 8, 100, 10, 4, 1)");
            statement.executeUpdate("INSERT INTO kb_documents (kb_id, source_name, media_type, size, sha256, metadata,"
                    + " content, status, created_at, updated_at) VALUES (1, 'a.md', 'text/markdown', 1, 'x', '{}', "
                    + (dialect.equals("sqlite") ? "X'41'" : "'\\x41'::bytea") + ", 'ready', 1, 1)");
        }

        database = dialect.equals("sqlite") ? Database.openSqlite(dataDir) : Database.openPostgres(url);
        DataSource data = database.readers();
        for (String table : List.of("flows", "tasks", "server_keys", "files", "audit_log", "credentials",
                "mcp_servers", "knowledge_bases", "user_sessions")) {
            assertThat(column(data, "SELECT DISTINCT workspace_id FROM " + table)).as(table)
                    .isSubsetOf("1");
        }
        assertThat(column(data, "SELECT name || ':' || type || ':' || rotated_at || ':' || secret FROM credentials"))
                .containsExactly("openai:bearer:3:sealed");
        assertThat(column(data, "SELECT name || ':' || url FROM mcp_servers")).containsExactly("tools:http://127.0.0.1:1/mcp");
        assertThat(column(data, "SELECT name || ':' || version FROM knowledge_bases")).containsExactly("docs:4");
        assertThat(column(data, "SELECT source_name FROM kb_documents WHERE kb_id = 1")).containsExactly("a.md");

        try (Connection connection = data.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO workspaces (name, created_at) VALUES ('Second', 1)");
            // the same names in another workspace are fine; twice in one workspace they are not
            statement.executeUpdate("INSERT INTO credentials (workspace_id, name, secret, created_at, updated_at)"
                    + " VALUES (2, 'openai', 's', 1, 1)");
            statement.executeUpdate("INSERT INTO mcp_servers (workspace_id, name, transport, url, headers, args,"
                    + " created_at, updated_at) VALUES (2, 'tools', 'http', 'http://x', '{}', '[]', 1, 1)");
            statement.executeUpdate("INSERT INTO knowledge_bases (workspace_id, name, embedding_provider,"
                    + " embedding_model, dimension, chunk_tokens, chunk_overlap, created_at)"
                    + " VALUES (2, 'docs', 'local', 'm', 8, 100, 10, 1)");
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO credentials (workspace_id, name, secret,"
                    + " created_at, updated_at) VALUES (2, 'openai', 's', 1, 1)")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO mcp_servers (workspace_id, name, transport,"
                    + " url, headers, args, created_at, updated_at) VALUES (1, 'tools', 'http', 'http://x', '{}', '[]', 1, 1)"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO knowledge_bases (workspace_id, name,"
                    + " embedding_provider, embedding_model, dimension, chunk_tokens, chunk_overlap, created_at)"
                    + " VALUES (1, 'docs', 'local', 'm', 8, 100, 10, 1)")).isInstanceOf(SQLException.class);
            // the documents' foreign key still names knowledge_bases: deleting the base takes its documents along
            statement.executeUpdate("DELETE FROM knowledge_bases WHERE id = 1");
        }
        assertThat(column(data, "SELECT source_name FROM kb_documents")).isEmpty();
    }

    private static List<String> column(DataSource data, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = data.getConnection(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery(query)) {
            while (rows.next()) values.add(rows.getString(1));
        }
        return values;
    }
}
