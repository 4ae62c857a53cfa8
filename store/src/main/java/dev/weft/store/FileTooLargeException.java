package dev.weft.store;

/** A file passed the size limit it was stored under; nothing of it was kept. */
public final class FileTooLargeException extends RuntimeException {

    private final long limit;

    public FileTooLargeException(long limit) {
        super("the file is over the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
