package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.store.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Migration V11 on both databases: a credential's type and rotation time, a version's publisher, and rows written
 * before V11 (by the code of the time) read back as they were meant: an {@code api_key}, a version of no known
 * publisher.
 */
class CredentialTypesStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);
    private static final CredentialCipher CIPHER = new CredentialCipher(new byte[32]);

    @TempDir
    Path dataDir;
    private Database database;

    @AfterEach
    void close() {
        if (database != null) database.close();
    }

    private Database open(String dialect) {
        database = dialect.equals("sqlite") ? Database.openSqlite(dataDir) : Database.openPostgres(TestPostgres.newDatabase());
        return database;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void a_typed_credential_keeps_its_type_and_a_rotation_replaces_the_secret_and_records_when(String dialect) {
        JdbcCredentialStore store = new JdbcCredentialStore(open(dialect), CIPHER, CLOCK);

        store.create("mirror", Credentials.Type.BASIC, "the mirror", "ada:first", List.of("127.0.0.1"));
        store.create("tenant", Credentials.Type.HEADERS, null, "X-Api-Key: k1\nX-Tenant: acme\n", List.of());

        assertThat(store.info("mirror").orElseThrow().type()).isEqualTo(Credentials.Type.BASIC);
        assertThat(store.info("mirror").orElseThrow().rotatedAt()).isNull();
        assertThat(store.find("tenant").orElseThrow().headers()).containsExactly(
                java.util.Map.entry("X-Api-Key", "k1"), java.util.Map.entry("X-Tenant", "acme"));
        JdbcCredentialStore.CredentialInfo rotated = store.rotate("mirror", "ada:second").orElseThrow();
        assertThat(rotated.rotatedAt()).isEqualTo(CLOCK.instant());
        assertThat(rotated.type()).isEqualTo(Credentials.Type.BASIC);
        assertThat(rotated.description()).isEqualTo("the mirror");
        Credentials.Credential opened = store.find("mirror").orElseThrow();
        assertThat(opened.secret()).isEqualTo("ada:second");
        assertThat(opened.headers()).containsEntry("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("ada:second".getBytes()));
        assertThat(store.rotate("nobody", "x")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void a_version_keeps_who_published_it(String dialect) {
        JdbcFlowStore flows = new JdbcFlowStore(open(dialect), CLOCK);
        FlowRecord flow = flows.create("f", Json.read("{\"nodes\": []}"));

        flows.publish(flow.id(), flow.draft(), "admin session");
        flows.publish(flow.id(), flow.draft());

        assertThat(flows.versions(flow.id())).extracting(FlowVersion::publishedBy).containsExactly("admin session", null);
        assertThat(flows.version(flow.id(), 1).orElseThrow().publishedBy()).isEqualTo("admin session");
        assertThat(flows.liveVersions()).extracting(FlowVersion::version).containsExactly(1, 2);
        flows.delete(flow.id());
        assertThat(flows.liveVersions()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void rows_written_before_v11_read_as_a_key_and_a_version_of_no_known_publisher(String dialect) {
        String url = dialect.equals("sqlite") ? "jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME).toAbsolutePath()
                : TestPostgres.newDatabase();
        Dialect sql = dialect.equals("sqlite") ? Dialect.SQLITE : Dialect.POSTGRESQL;
        Flyway before = Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration")
                .placeholders(sql.placeholders()).target("9").load();
        before.migrate();
        try (var connection = before.getConfiguration().getDataSource().getConnection();
             var statement = connection.createStatement()) {
            // what JdbcCredentialStore and JdbcFlowStore wrote before V11
            statement.executeUpdate("INSERT INTO credentials (name, description, secret, hosts, created_at, updated_at)"
                    + " VALUES ('openai', 'old', '" + CIPHER.seal("openai", "sk-old-1") + "', '[\"api.openai.com\"]', 1, 1)");
            statement.executeUpdate("INSERT INTO flows (name, document, created_at, updated_at)"
                    + " VALUES ('old', '{\"nodes\": []}', 1, 1)");
            statement.executeUpdate("INSERT INTO flow_versions (flow_id, version, document, created_at)"
                    + " SELECT id, 1, document, 1 FROM flows");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }

        database = dialect.equals("sqlite") ? Database.openSqlite(dataDir) : Database.openPostgres(url);
        JdbcCredentialStore store = new JdbcCredentialStore(database, CIPHER, CLOCK);
        JdbcFlowStore flows = new JdbcFlowStore(database, CLOCK);

        Credentials.Credential credential = store.find("openai").orElseThrow();
        assertThat(credential.type()).isEqualTo(Credentials.Type.API_KEY);
        assertThat(credential.secret()).isEqualTo("sk-old-1");
        assertThat(credential.hosts()).containsExactly("api.openai.com");
        assertThat(store.info("openai").orElseThrow().rotatedAt()).isNull();
        assertThat(flows.liveVersions()).singleElement().extracting(FlowVersion::publishedBy).isNull();
    }
}
