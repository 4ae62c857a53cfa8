package dev.weft.store;

/** The thing asked for does not exist (or was deleted); the API answers 404 naming it. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
