package dev.weft.store;

/** A storage failure (a wrapped {@link java.sql.SQLException}); the API answers it as a 503-class error. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
