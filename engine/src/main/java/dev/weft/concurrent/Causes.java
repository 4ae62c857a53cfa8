package dev.weft.concurrent;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What failed, from inside the wrappers that futures put around a failure. */
public final class Causes {

    private Causes() {}

    /** The cause inside any {@link CompletionException} and {@link ExecutionException} wrapping it. */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
