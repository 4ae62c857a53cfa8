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

    private StoredSecrets() {}

    /** The secret of {@code name} for a request to {@code target}; {@code path} names the setting in messages. */
    static String secretFor(Credentials credentials, String name, URI target, String path) {
        Credentials.Credential credential = credentials.find(name).orElseThrow(() -> new NodeException(MISSING,
                "settings." + path + ": no stored credential is named '" + name + "' (add it with POST"
                        + " /api/v1/credentials)", false));
        if (!credential.allows(target.getHost())) {
            throw new NodeException(REFUSED, "settings." + path + ": credential '" + name + "' may be sent only to "
                    + String.join(", ", credential.hosts()) + ", not to " + target.getHost(), false);
        }
        return credential.secret();
    }
}
