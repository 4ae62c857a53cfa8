package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.testing.ManualClock;
import dev.weft.json.Json;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The embedded database's latest-version numbers kept in memory: never older than the last committed change. */
class LatestVersionsTest {

    private static final JsonNode DOC = Json.read("""
            {"nodes": [{"id": "start", "type": "start"}, {"id": "end", "type": "end"}],
             "edges": [{"from_node": "start", "to_node": "end", "fields_mapping": []}]}""");

    @Test
    void every_change_through_any_store_on_the_database_is_seen_at_once() throws Exception {
        try (Database database = Database.openSqlite(Files.createTempDirectory("weft-latest"))) {
            JdbcFlowStore one = new JdbcFlowStore(database, new ManualClock());
            JdbcFlowStore other = new JdbcFlowStore(database, new ManualClock());
            long id = one.create("f", DOC).id();

            assertThat(one.latestVersionNumber(id)).contains(Optional.empty());
            other.publish(id, DOC);
            assertThat(one.latestVersionNumber(id)).contains(Optional.of(1));
            assertThat(one.latestVersionNumber(id)).contains(Optional.of(1));
            other.publish(id, DOC);
            assertThat(one.latestVersionNumber(id)).contains(Optional.of(2));
            other.delete(id);
            assertThat(one.latestVersionNumber(id)).isEmpty();
            assertThat(one.latestVersionNumber(id + 1)).isEmpty();
        }
    }

    @Test
    void a_kept_number_is_read_once_until_a_change_and_a_read_racing_a_change_is_not_kept() {
        LatestVersions kept = new LatestVersions();
        AtomicInteger reads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            kept.get(7, () -> {
                reads.incrementAndGet();
                return Optional.of(Optional.of(1));
            });
        }
        assertThat(reads).hasValue(1);

        // a change commits while a read is under way: what that read saw may be old, so it is not kept
        kept.get(8, () -> {
            kept.changed();
            return Optional.of(Optional.of(1));
        });
        assertThat(kept.get(8, () -> Optional.of(Optional.of(2)))).contains(Optional.of(2));
        assertThat(kept.get(9, Optional::empty)).isEmpty();
        assertThat(kept.get(9, () -> Optional.of(Optional.of(5)))).as("not-found is not kept")
                .contains(Optional.of(5));
    }
}
