package dev.weft.builtin;

import dev.weft.node.Credentials;
import dev.weft.node.NodeException;
import java.net.URI;

/** Opens the stored credential a node's settings name, for one target: the checks every node makes the same way. */
final class StoredSecrets {

    /** A {@code credential} name with no stored credential. */
    static final String MISSING = "credential_missing";
    /** A credential bound to other hosts than the one the node would send it to. */
    static final String REFUSED = "credential_refused";
    /** A credential of a type the setting cannot send (basic or headers where a key is needed). */
    static final String WRONG_TYPE = "credential_type";

    private StoredSecrets() {}

    /**
     * The key or token of {@code name} for a request to {@code target}; {@code path} names the setting in messages.
     * A basic or headers credential is refused: a node that sends a key has no use for a user and password.
     */
    static String secretFor(Credentials credentials, String name, URI target, String path) {
        Credentials.Credential credential = credentialFor(credentials, name, target, path);
        if (!credential.type().isToken()) {
            throw new NodeException(WRONG_TYPE, "settings." + path + ": credential '" + name + "' is a "
                    + credential.type().id() + " credential; this setting needs an api_key or bearer credential", false);
        }
        return credential.secret();
    }

    /** The credential {@code name}, checked for a request to {@code target}; any type. */
    static Credentials.Credential credentialFor(Credentials credentials, String name, URI target, String path) {
        Credentials.Credential credential = credentials.find(name).orElseThrow(() -> new NodeException(MISSING,
                "settings." + path + ": no stored credential is named '" + name + "' (add it on the Credentials page"
                        + " or with POST /api/v1/credentials)", false));
        if (!credential.allows(target.getHost())) {
            throw new NodeException(REFUSED, "settings." + path + ": credential '" + name + "' may be sent only to "
                    + String.join(", ", credential.hosts()) + ", not to " + target.getHost(), false);
        }
        return credential;
    }
}
