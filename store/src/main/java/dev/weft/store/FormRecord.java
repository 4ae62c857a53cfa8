package dev.weft.store;

import java.time.Instant;

/**
 * A hosted form as stored: the flow it starts, its secret {@code token} (the link), the page's title and
 * description, the password hash (null: no password), the key that signs its unlock cookies, and whether it is on.
 */
public record FormRecord(long id, long flowId, String token, String title, String description, String password,
                         String cookieKey, boolean enabled, Instant createdAt, Instant updatedAt) {

    /** Whether a visitor must give a password before the form shows. */
    public boolean locked() {
        return password != null;
    }

    /** What a change may set: everything but the ids and times. */
    public record Settings(String token, String title, String description, String password, String cookieKey,
                           boolean enabled) {}

    public Settings settings() {
        return new Settings(token, title, description, password, cookieKey, enabled);
    }
}
