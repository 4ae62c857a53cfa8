package dev.weft.auth;

import java.time.Duration;

/** A rate limit on requests, per key (a server key's id, a webhook's id). */
public interface RateLimit {

    /** Whether it limits anything ({@code false}: every take is allowed). */
    boolean enabled();

    /** Takes one request's token for {@code key}: {@link Duration#ZERO} when allowed, else how long until one is there. */
    Duration take(String key);
}
