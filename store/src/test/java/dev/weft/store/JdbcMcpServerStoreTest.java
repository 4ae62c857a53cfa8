package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.store.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MCP server store on both databases: names taken once, a change bumps the version, a delete is final. */
class JdbcMcpServerStoreTest {

    @TempDir
    Path dataDir;
    private Database database;

    @AfterEach
    void close() {
        if (database != null) database.close();
    }

    private JdbcMcpServerStore store(String dialect) {
        Supplier<Database> open = dialect.equals("sqlite") ? () -> Database.openSqlite(dataDir)
                : () -> Database.openPostgres(TestPostgres.newDatabase());
        database = open.get();
        return new JdbcMcpServerStore(database, Clock.systemUTC());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void a_server_is_stored_changed_listed_and_deleted(String dialect) {
        JdbcMcpServerStore store = store(dialect);
        McpServerRecord.Settings http = new McpServerRecord.Settings("http", "https://mcp.example.com/mcp",
                Map.of("Authorization", "example-token"), null, List.of());

        McpServerRecord created = store.create("example", http).orElseThrow();
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.headers()).containsEntry("Authorization", "example-token");
        assertThat(store.create("example", http)).isEmpty();

        McpServerRecord changed = store.update("example", new McpServerRecord.Settings("stdio", null, Map.of(),
                "/usr/bin/node", List.of("server.js", "stdio"))).orElseThrow();
        assertThat(changed.version()).isEqualTo(2);
        assertThat(changed.transport()).isEqualTo("stdio");
        assertThat(changed.url()).isNull();
        assertThat(changed.args()).containsExactly("server.js", "stdio");
        assertThat(store.update("missing", http)).isEmpty();

        store.create("another", http);
        assertThat(store.list()).extracting(McpServerRecord::name).containsExactly("another", "example");
        assertThat(store.delete("example")).isTrue();
        assertThat(store.delete("example")).isFalse();
        assertThat(store.find("example")).isEmpty();
    }
}
