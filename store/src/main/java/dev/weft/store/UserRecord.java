package dev.weft.store;

import java.time.Instant;

/** A person who signs in: email, password hash (never the password), and their role in the default workspace. */
public record UserRecord(long id, String email, String passwordHash, Instant disabledAt, Instant createdAt,
                         Instant passwordChangedAt, String role) {

    public boolean disabled() {
        return disabledAt != null;
    }
}
