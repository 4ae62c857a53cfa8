package dev.weft.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.ApiException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AdminTokenTest {

    private final AdminToken admin = AdminToken.load("s3cret", Path.of("unused"));

    @Test
    void onlyTheBearerTokenItselfMatches() {
        assertTrue(admin.matches("Bearer s3cret"));
        assertTrue(admin.matches("bearer  s3cret "));
        assertFalse(admin.matches(null));
        assertFalse(admin.matches("Basic s3cret"));
        assertFalse(admin.matches("Bearer s3cre"));
        assertFalse(admin.matches("Bearer s3cretX"));
    }

    @Test
    void checkRefusesWhatDoesNotMatchWithTheReason() {
        assertDoesNotThrow(() -> admin.check("Bearer s3cret"));
        ApiException missing = assertThrows(ApiException.class, () -> admin.check("Basic abc"));
        assertEquals("Authorization", missing.field());
        assertTrue(missing.getMessage().contains("Bearer <admin token>"), missing.getMessage());
        ApiException wrong = assertThrows(ApiException.class, () -> admin.check("Bearer nope"));
        assertEquals("wrong admin token", wrong.getMessage());
    }
}
