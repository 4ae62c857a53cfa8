package dev.weft.kb.parse;

/** A document that cannot be read: its reason is what the document's {@code failed} status shows. */
public final class ParseException extends Exception {

    public ParseException(String reason) {
        super(reason);
    }

    public ParseException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
