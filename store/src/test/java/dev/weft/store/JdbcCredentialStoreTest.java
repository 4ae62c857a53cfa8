package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import dev.weft.node.Credentials;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcCredentialStoreTest {

    @TempDir
    Path dataDir;
    private Database database;

    @AfterEach
    void close() {
        if (database != null) database.close();
    }

    private JdbcCredentialStore store(CredentialCipher cipher) {
        if (database == null) database = Database.openSqlite(dataDir);
        return new JdbcCredentialStore(database, cipher, Clock.systemUTC());
    }

    @Test
    void a_secret_is_stored_encrypted_and_read_back_by_name() throws Exception {
        JdbcCredentialStore store = store(CredentialCipher.load(null, dataDir));

        assertThat(store.create("openai", "production key", "sk-live-secret-123", List.of("api.openai.com"))).isPresent();

        assertThat(store.find("openai").map(Credentials.Credential::secret)).contains("sk-live-secret-123");
        assertThat(store.find("openai").orElseThrow().hosts()).containsExactly("api.openai.com");
        assertThat(store.find("nothing")).isEmpty();
        assertThat(store.list()).extracting(JdbcCredentialStore.CredentialInfo::name).containsExactly("openai");
        String stored = Rows.one(database.readers(), "SELECT secret FROM credentials", r -> r.getString(1)).orElseThrow();
        assertThat(stored).doesNotContain("sk-live");
        assertThat(new String(Base64.getDecoder().decode(stored))).doesNotContain("sk-live");
        assertThat(Files.readAllBytes(dataDir.resolve(Database.FILE_NAME))).asString().doesNotContain("sk-live-secret");
    }

    @Test
    void a_name_is_taken_once_and_a_deleted_credential_is_gone() {
        JdbcCredentialStore store = store(CredentialCipher.load(null, dataDir));
        store.create("anthropic", null, "one", List.of());

        assertThat(store.create("anthropic", null, "two", List.of())).isEmpty();
        assertThat(store.find("anthropic").map(Credentials.Credential::secret)).contains("one");
        assertThat(store.delete("anthropic")).isTrue();
        assertThat(store.delete("anthropic")).isFalse();
        assertThat(store.find("anthropic")).isEmpty();
    }

    @Test
    void the_master_key_file_is_made_once_and_reused() throws Exception {
        CredentialCipher first = CredentialCipher.load(null, dataDir);
        String sealed = first.seal("k", "value");

        assertThat(CredentialCipher.load(null, dataDir).open("k", sealed)).isEqualTo("value");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve(CredentialCipher.FILE_NAME)))).isEqualTo("rw-------");
    }

    @Test
    void another_master_key_or_another_name_cannot_open_a_secret() {
        CredentialCipher cipher = CredentialCipher.load(Base64.getEncoder().encodeToString(new byte[32]), dataDir);
        String sealed = cipher.seal("k", "value");
        CredentialCipher other = CredentialCipher.load(Base64.getEncoder().encodeToString(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                29, 30, 31, 32}), dataDir);

        assertThatThrownBy(() -> other.open("k", sealed)).hasMessageContaining("cannot be decrypted with this master key");
        assertThatThrownBy(() -> cipher.open("other-name", sealed)).isInstanceOf(IllegalStateException.class);
        assertThat(Optional.of(cipher.open("k", sealed))).contains("value");
    }

    @Test
    void a_master_key_that_is_not_32_bytes_of_base64_is_refused_with_how_to_make_one() {
        assertThatThrownBy(() -> CredentialCipher.load("c2hvcnQ=", dataDir))
                .hasMessage("WEFT_MASTER_KEY must be base64 of 32 random bytes (it holds 5; make one with: head -c 32"
                        + " /dev/urandom | base64)");
    }
}
