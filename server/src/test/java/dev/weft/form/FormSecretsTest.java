package dev.weft.form;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.store.FormRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The random parts of a hosted form and the cookie that a right password unlocks. */
class FormSecretsTest {

    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    static FormRecord form(long id, String cookieKey) {
        return new FormRecord(id, 1, "token", "T", "", "hash", cookieKey, true, NOW, NOW);
    }

    @Test
    void tokens_are_256_random_bits_in_base64url_and_do_not_repeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) assertThat(seen.add(FormSecrets.random())).isTrue();
        assertThat(seen).allMatch(token -> token.matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void a_cookie_opens_its_form_until_it_expires() {
        FormRecord form = form(7, "key-a");
        String cookie = FormSecrets.cookie(form, NOW.plus(Duration.ofMinutes(30)));

        assertThat(FormSecrets.unlocks(form, cookie, NOW)).isTrue();
        assertThat(FormSecrets.unlocks(form, cookie, NOW.plus(Duration.ofMinutes(30)))).as("expired").isFalse();
    }

    @Test
    void a_cookie_does_not_open_another_form_nor_the_same_form_after_its_key_changed_nor_when_altered() {
        FormRecord form = form(7, "key-a");
        String cookie = FormSecrets.cookie(form, NOW.plus(Duration.ofMinutes(30)));

        assertThat(FormSecrets.unlocks(form(8, "key-a"), cookie, NOW)).as("another form").isFalse();
        assertThat(FormSecrets.unlocks(form(7, "key-b"), cookie, NOW)).as("a new key").isFalse();
        String later = (NOW.getEpochSecond() + 999_999) + cookie.substring(cookie.indexOf('.'));
        assertThat(FormSecrets.unlocks(form, later, NOW)).as("a later expiry written in").isFalse();
        assertThat(FormSecrets.unlocks(form, "garbage", NOW)).isFalse();
        assertThat(FormSecrets.unlocks(form, null, NOW)).isFalse();
    }

    @Test
    void a_handle_is_kept_as_its_sha256() {
        assertThat(FormSecrets.digest("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
