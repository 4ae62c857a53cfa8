package dev.weft.node;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
     * The credential named {@code name} as task {@code taskId} sees it: on a server with workspaces, the one of
     * the task's workspace. Nodes call this one with their {@link NodeCall#taskId()}.
     *
     * @param taskId the task whose step asks
     * @param name   the credential's name, as a node's settings give it
     * @return the credential, or empty
     */
    default Optional<Credential> find(long taskId, String name) {
        return find(name);
    }

    /**
     * These credentials as task {@code taskId} sees them ({@link #find(long, String)} for every name).
     *
     * @param taskId the task whose step asks
     * @return the task's view of the credentials
     */
    default Credentials forTask(long taskId) {
        Credentials all = this;
        return name -> all.find(taskId, name);
    }

    /** How a stored credential's secret is sent: what the Credentials page offers. */
    enum Type {
        /** One key, sent the way the node that names it sends keys (every credential stored before types). */
        API_KEY("api_key"),
        /** One token, sent the way the node that names it sends tokens (as {@code Authorization: Bearer}). */
        BEARER("bearer"),
        /** {@code user:password}, sent as {@code Authorization: Basic} of its base64. */
        BASIC("basic"),
        /** {@code Name: value} lines, each sent as a header. */
        HEADERS("headers");

        private final String id;

        Type(String id) {
            this.id = id;
        }

        /**
         * The name the API and the database use.
         *
         * @return {@code api_key}, {@code bearer}, {@code basic} or {@code headers}
         */
        public String id() {
            return id;
        }

        /**
         * Whether the secret is one token (a key), which a node sends in its own way.
         *
         * @return true for {@code api_key} and {@code bearer}
         */
        public boolean isToken() {
            return this == API_KEY || this == BEARER;
        }

        /**
         * The type named {@code id}.
         *
         * @param id a type's name
         * @return the type, or empty for an unknown name
         */
        public static Optional<Type> of(String id) {
            for (Type type : values()) if (type.id.equals(id)) return Optional.of(type);
            return Optional.empty();
        }
    }

    /**
     * A credential's secret, the hosts it may be sent to and its type. Hosts are names ({@code api.openai.com}) or
     * a domain's subdomains ({@code *.example.com}); empty means any host. Binding a credential to its hosts keeps a
     * run that overrides a node's URL ({@code node_settings}) from sending the secret elsewhere.
     *
     * @param secret the decrypted secret: a token, {@code user:password}, or {@code Name: value} lines
     * @param hosts  the hosts it may be sent to; empty: any
     * @param type   how the secret is sent
     */
    record Credential(String secret, List<String> hosts, Type type) {

        /**
         * Copies {@code hosts}.
         *
         * @param secret the decrypted secret
         * @param hosts  the hosts it may be sent to; empty: any
         * @param type   how the secret is sent
         */
        public Credential {
            hosts = List.copyOf(hosts);
            if (type == null) throw new IllegalArgumentException("a credential has a type");
        }

        /**
         * A key ({@link Type#API_KEY}), as every credential was before types.
         *
         * @param secret the decrypted key
         * @param hosts  the hosts it may be sent to; empty: any
         */
        public Credential(String secret, List<String> hosts) {
            this(secret, hosts, Type.API_KEY);
        }

        /**
         * The headers a {@link Type#BASIC} or {@link Type#HEADERS} credential is sent as; empty for a token, which
         * the node sends in its own way.
         *
         * @return header name to value, in the stored order
         */
        public Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            if (type == Type.BASIC) {
                headers.put("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
            } else if (type == Type.HEADERS) {
                for (String line : secret.split("\n")) {
                    int colon = line.indexOf(':');
                    if (colon > 0) headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
            return headers;
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
            return "Credential[secret=***, hosts=" + hosts + ", type=" + type.id() + "]";   // never the secret, wherever it is printed
        }
    }
}
