package dev.weft.kb.embed;

/** Gives the secret of a stored credential for a request to {@code host}, or refuses (the credential store's checks). */
@FunctionalInterface
public interface SecretSource {

    /** The secret; throws {@link EmbeddingException} when there is no such credential or it may not go to the host. */
    String secretFor(String credential, String host) throws EmbeddingException;

    /**
     * The secret as knowledge base {@code kbId} sees it: on a server with workspaces, the credential of that name in
     * the KB's own workspace. Embedders ask this one.
     */
    default String secretFor(long kbId, String credential, String host) throws EmbeddingException {
        return secretFor(credential, host);
    }
}
