package dev.weft.form;

import dev.weft.auth.RateLimit;
import dev.weft.auth.RateLimits;
import dev.weft.http.ApiException;
import java.time.Duration;

/**
 * How often hosted forms may be used: submissions per form and per visitor's address, and wrong passwords per form
 * and address. Token buckets from {@link RateLimits}: shared by the processes on a PostgreSQL, so a visitor gets
 * each budget once whichever process answers; in memory with SQLite's one process.
 */
public final class FormLimits {

    /** Submissions to one form: 2 a second on average, 20 at once. */
    public static final double FORM_PER_SECOND = 2;
    public static final int FORM_BURST = 20;
    /** Submissions from one address to any form: one every 2 seconds, 10 at once. */
    public static final double ADDRESS_PER_SECOND = 0.5;
    public static final int ADDRESS_BURST = 10;
    /** Password attempts at one form from one address: 5 at once, then one every 20 seconds. */
    public static final double UNLOCK_PER_SECOND = 0.05;
    public static final int UNLOCK_BURST = 5;

    private final RateLimit perForm;
    private final RateLimit perAddress;
    private final RateLimit unlocks;

    public FormLimits(RateLimits limits) {
        this.perForm = limits.of("form:", FORM_PER_SECOND, FORM_BURST);
        this.perAddress = limits.of("form-address:", ADDRESS_PER_SECOND, ADDRESS_BURST);
        this.unlocks = limits.of("form-unlock:", UNLOCK_PER_SECOND, UNLOCK_BURST);
    }

    /** Takes a submission from {@code address} to form {@code formId}; 429 with {@code Retry-After} when over. */
    public void submit(long formId, String address) {
        refuse(perAddress.take(address), "this address has sent too many forms");
        refuse(perForm.take(String.valueOf(formId)), "this form has been sent too often");
    }

    /** Takes a password attempt; 429 when this address has tried too many at this form. */
    public void unlock(long formId, String address) {
        refuse(unlocks.take(formId + "/" + address), "too many password attempts");
    }

    private static void refuse(Duration wait, String what) {
        if (wait.isZero()) return;
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        throw new ApiException(ApiException.Kind.RATE_LIMITED, null, what + "; try again in " + seconds + " s")
                .retryAfter(wait);
    }
}
