package dev.weft.http;

import java.time.Duration;

/**
 * How long and how slowly a client may talk to the server, and how many connections it may hold: the defences
 * against slow and abusive clients (see docs/security.md). Read from the environment by {@code WeftConfig}.
 *
 * @param idleTimeout        a connection with no byte in either direction for this long is closed
 *                           ({@code WEFT_HTTP_IDLE_TIMEOUT})
 * @param headerTimeout      a connection must have sent a whole request head this long after it opened or after
 *                           its previous answer, else it is closed ({@code WEFT_HTTP_HEADER_TIMEOUT})
 * @param minBodyRate        bytes a second a request body must arrive at, on average, once {@code bodyGrace} has
 *                           passed; slower bodies are cut off with 408 ({@code WEFT_HTTP_MIN_BODY_RATE}, 0 = off)
 * @param bodyGrace          how long a body may take before its rate is held against it ({@code WEFT_HTTP_BODY_GRACE})
 * @param maxConnections     open connections at most; past it the server stops accepting until one closes
 *                           ({@code WEFT_HTTP_MAX_CONNECTIONS})
 * @param maxPerAddress      open connections one client address may hold; more are closed at once
 *                           ({@code WEFT_HTTP_MAX_CONNECTIONS_PER_ADDRESS})
 */
public record HttpLimits(Duration idleTimeout, Duration headerTimeout, long minBodyRate, Duration bodyGrace,
                         int maxConnections, int maxPerAddress) {

    public static final Duration IDLE_TIMEOUT_DEFAULT = Duration.ofSeconds(30);
    public static final Duration HEADER_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
    /** 1 KiB/s: far below any real client, far above a trickle of a byte every few seconds. */
    public static final long MIN_BODY_RATE_DEFAULT = 1024;
    public static final Duration BODY_GRACE_DEFAULT = Duration.ofSeconds(5);
    public static final int MAX_CONNECTIONS_DEFAULT = 4096;
    public static final int MAX_PER_ADDRESS_DEFAULT = 1024;

    public static final HttpLimits DEFAULT = new HttpLimits(IDLE_TIMEOUT_DEFAULT, HEADER_TIMEOUT_DEFAULT,
            MIN_BODY_RATE_DEFAULT, BODY_GRACE_DEFAULT, MAX_CONNECTIONS_DEFAULT, MAX_PER_ADDRESS_DEFAULT);

    public HttpLimits {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("the idle timeout must be > 0");
        if (headerTimeout.isNegative() || headerTimeout.isZero()) throw new IllegalArgumentException("the header timeout must be > 0");
        if (minBodyRate < 0) throw new IllegalArgumentException("the minimum body rate must be >= 0");
        if (bodyGrace.isNegative()) throw new IllegalArgumentException("the body grace must be >= 0");
        if (maxConnections < 1 || maxPerAddress < 1) throw new IllegalArgumentException("connection caps must be >= 1");
    }

    public HttpLimits withConnectionCaps(int overall, int perAddress) {
        return new HttpLimits(idleTimeout, headerTimeout, minBodyRate, bodyGrace, overall, perAddress);
    }

    public HttpLimits withTimeouts(Duration idle, Duration header, long minRate, Duration grace) {
        return new HttpLimits(idle, header, minRate, grace, maxConnections, maxPerAddress);
    }
}
