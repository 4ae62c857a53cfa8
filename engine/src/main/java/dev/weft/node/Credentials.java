package dev.weft.node;

import java.util.Optional;

/**
 * Where nodes read the secret of a stored credential they are given by name ({@code "credential": "openai"}): a
 * provider's API key, an HTTP token. Secrets are decrypted only for the attempt that sends them, and never put in
 * an output, an error message or a log.
 */
@FunctionalInterface
public interface Credentials {

    /** No stored credentials: every name is unknown. */
    Credentials NONE = name -> Optional.empty();

    /** The secret of the credential named {@code name}, or empty when there is none. */
    Optional<String> secret(String name);
}
