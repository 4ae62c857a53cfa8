package dev.weft.node;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where nodes read a stored credential they are given by name ({@code "credential": "openai"}): a provider's API
 * key, an HTTP token. Secrets are decrypted only for the attempt that sends them, and never put in an output, an
 * error message or a log.
 */
@FunctionalInterface
public interface Credentials {

    /** No stored credentials: every name is unknown. */
    Credentials NONE = name -> Optional.empty();

    /**
     * The credential named {@code name}, or empty when there is none.
     *
     * @param name the credential's name, as a node's settings give it
     * @return the credential, or empty
     */
    Optional<Credential> find(String name);

    /**
     * A credential's secret and the hosts it may be sent to: names ({@code api.openai.com}) or a domain's
     * subdomains ({@code *.example.com}); empty means any host. Binding a credential to its hosts keeps a run
     * that overrides a node's URL ({@code node_settings}) from sending the secret elsewhere.
     *
     * @param secret the decrypted secret
     * @param hosts  the hosts it may be sent to; empty: any
     */
    record Credential(String secret, List<String> hosts) {

        /**
         * Copies {@code hosts}.
         *
         * @param secret the decrypted secret
         * @param hosts  the hosts it may be sent to; empty: any
         */
        public Credential {
            hosts = List.copyOf(hosts);
        }

        /**
         * Whether the secret may be sent to {@code host}.
         *
         * @param host a host name
         * @return true when the credential's hosts allow it
         */
        public boolean allows(String host) {
            if (hosts.isEmpty()) return true;
            String name = host == null ? "" : host.toLowerCase(Locale.ROOT);
            for (String allowed : hosts) {
                String pattern = allowed.toLowerCase(Locale.ROOT);
                if (pattern.startsWith("*.") ? name.endsWith(pattern.substring(1)) : name.equals(pattern)) return true;
            }
            return false;
        }

        /** Names the hosts, never the secret. */
        @Override
        public String toString() {
            return "Credential[secret=***, hosts=" + hosts + "]";   // never the secret, wherever it is printed
        }
    }
}
