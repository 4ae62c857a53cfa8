package dev.weft.kb.embed;

/** Gives the secret of a stored credential for a request to {@code host}, or refuses (the credential store's checks). */
@FunctionalInterface
public interface SecretSource {

    /** The secret; throws {@link EmbeddingException} when there is no such credential or it may not go to the host. */
    String secretFor(String credential, String host) throws EmbeddingException;
}
