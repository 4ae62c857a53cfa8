package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.testing.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store's contract: every database Weft runs on keeps file records the same way. */
abstract class FileStoreContract {

    final ManualClock clock = new ManualClock();
    @TempDir
    Path folder;
    Database database;
    JdbcFileStore files;

    /** A fresh, empty, migrated database for one test. */
    abstract Database openFresh();

    @BeforeEach
    void open() {
        database = openFresh();
        files = new JdbcFileStore(database, folder.resolve(JdbcFileStore.FOLDER), clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void a_saved_file_is_found_with_its_metadata_and_bytes() throws Exception {
        byte[] bytes = "col\n1\n2\n".getBytes(StandardCharsets.UTF_8);

        FileRecord saved = files.save(new ByteArrayInputStream(bytes), 100, "rows.csv", "text/csv",
                FileRecord.Owner.step("k1", 7L, 42, "fetch"));

        assertThat(saved.id()).matches(JdbcFileStore.ID);
        assertThat(saved.size()).isEqualTo(bytes.length);
        assertThat(saved.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(files.find(saved.id())).contains(saved);
        assertThat(saved.createdAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(saved.owner()).isEqualTo(new FileRecord.Owner("k1", 7L, 42L, "fetch"));
        try (InputStream in = files.open(saved)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void two_saves_of_the_same_bytes_are_two_files_with_one_digest() {
        FileRecord one = files.save(new ByteArrayInputStream(new byte[] {1, 2}), 10, "a.bin", "application/octet-stream",
                FileRecord.Owner.key(null));
        FileRecord two = files.save(new ByteArrayInputStream(new byte[] {1, 2}), 10, "b.bin", "application/octet-stream",
                FileRecord.Owner.key("k2"));

        assertThat(one.id()).isNotEqualTo(two.id());
        assertThat(one.sha256()).isEqualTo(two.sha256());
        assertThat(files.find(two.id()).orElseThrow().owner().keyId()).isEqualTo("k2");
        assertThat(files.find(one.id()).orElseThrow().owner()).isEqualTo(new FileRecord.Owner(null, null, null, null));
    }

    @Test
    void a_file_over_the_limit_is_refused_and_nothing_is_kept() throws IOException {
        assertThatThrownBy(() -> files.save(new ByteArrayInputStream(new byte[101]), 100, "big.bin",
                "application/octet-stream", FileRecord.Owner.key(null)))
                .isInstanceOf(FileTooLargeException.class).hasMessageContaining("100 bytes");

        assertThat(count()).isZero();
        try (Stream<Path> left = Files.walk(folder.resolve(JdbcFileStore.FOLDER))) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void a_deleted_file_is_gone_with_its_bytes() throws IOException {
        FileRecord saved = files.save(new ByteArrayInputStream(new byte[] {9}), 10, "x", "text/plain",
                FileRecord.Owner.key(null));

        assertThat(files.delete(saved.id())).isTrue();
        assertThat(files.delete(saved.id())).isFalse();
        assertThat(files.find(saved.id())).isEmpty();
        assertThat(count()).isZero();
        try (Stream<Path> left = Files.walk(folder.resolve(JdbcFileStore.FOLDER))) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void a_deleted_workspaces_files_go_with_their_bytes_and_the_others_stay() {
        long lab = new JdbcUserStore(database, clock).createWorkspace("Lab", null).id();
        FileRecord kept = files.save(new ByteArrayInputStream(new byte[] {1}), 10, "kept.txt", "text/plain",
                FileRecord.Owner.key(null));
        FileRecord first = files.save(new ByteArrayInputStream(new byte[] {2}), 10, "a.txt", "text/plain",
                new FileRecord.Owner(null, null, null, null, lab));
        FileRecord second = files.save(new ByteArrayInputStream(new byte[] {3}), 10, "b.txt", "text/plain",
                new FileRecord.Owner(null, null, null, null, lab));

        assertThat(files.deleteWorkspace(lab)).isEqualTo(2);
        assertThat(files.find(first.id())).isEmpty();
        assertThat(files.find(second.id())).isEmpty();
        assertThat(files.path(first.id())).doesNotExist();
        assertThat(files.path(second.id())).doesNotExist();
        assertThat(files.find(kept.id())).isPresent();
        assertThat(files.path(kept.id())).exists();
        assertThat(files.deleteWorkspace(lab)).isZero();
    }

    @Test
    void texts_that_are_not_ids_find_nothing() {
        assertThat(files.find("../../weft.db")).isEmpty();
        assertThat(files.find("fAAAAAAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(files.find("faaaaaaaaaaaaaaaaaaaaaaaaaa")).isEmpty();
        assertThat(files.find(null)).isEmpty();
        assertThat(files.delete("../weft.db")).isFalse();
    }

    private int count() {
        return Rows.one(database.readers(), "SELECT COUNT(*) FROM files", row -> row.getInt(1)).orElseThrow();
    }
}
