package dev.weft.server;

import dev.weft.auth.OidcConfig;
import dev.weft.http.CorsConfig;
import dev.weft.http.HttpLimits;
import dev.weft.event.LlmPrices;
import dev.weft.file.FilesConfig;
import dev.weft.mcp.McpConfig;
import dev.weft.run.RunApiConfig;
import dev.weft.store.CredentialCipher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything a Weft process is configured with, read once from the command line and the environment by
 * {@link #read}: a pure function of its arguments, so the server reads no environment of its own. Every setting is
 * listed in the README's "Configuration" table.
 *
 * @param server        where it listens, its data folder, admin token and limits
 * @param cluster       its database, role, lease, retention and shutdown grace
 * @param run           the run API's rate and concurrency limits, callbacks and wait checks
 * @param files         the file store's size limit and public address
 * @param masterKey     the credentials' master key ({@value CredentialCipher#ENV}; null: kept in the data folder)
 * @param hostname      how this process names itself in a task's lease ({@code HOSTNAME}; default {@code weft})
 * @param llmPrices     the price table of language models ({@value LlmPrices#ENV}; none: usage without cost)
 * @param mcp           the MCP client's settings: the stdio commands an admin may configure
 * @param cors          the web origins whose pages may call the run API ({@value CorsConfig#ENV}; none by default)
 * @param oidc          single sign-on through an OpenID Connect provider ({@code WEFT_OIDC_*}; off by default)
 */
public record WeftConfig(ServerConfig server, ClusterConfig cluster, RunApiConfig run, FilesConfig files,
                         String masterKey, String hostname, LlmPrices llmPrices, McpConfig mcp, CorsConfig cors,
                         OidcConfig oidc) {

    /** What the command line of {@code weft serve} may set (null: not given; the environment or default then). */
    public record Flags(String host, Integer port, Path data, String dbUrl, String role) {
        public static final Flags NONE = new Flags(null, null, null, null, null);
    }

    public static final String HOSTNAME_DEFAULT = "weft";

    public WeftConfig {
        if (hostname == null || hostname.isBlank()) hostname = HOSTNAME_DEFAULT;
        if (llmPrices == null) llmPrices = LlmPrices.NONE;
        if (mcp == null) mcp = McpConfig.DEFAULT;
        if (cors == null) cors = CorsConfig.NONE;
        if (oidc == null) oidc = OidcConfig.OFF;
    }

    /** A configuration without single sign-on. */
    public WeftConfig(ServerConfig server, ClusterConfig cluster, RunApiConfig run, FilesConfig files,
                      String masterKey, String hostname, LlmPrices llmPrices, McpConfig mcp, CorsConfig cors) {
        this(server, cluster, run, files, masterKey, hostname, llmPrices, mcp, cors, OidcConfig.OFF);
    }

    /** A configuration that lets no other web origin call the run API. */
    public WeftConfig(ServerConfig server, ClusterConfig cluster, RunApiConfig run, FilesConfig files,
                      String masterKey, String hostname, LlmPrices llmPrices, McpConfig mcp) {
        this(server, cluster, run, files, masterKey, hostname, llmPrices, mcp, CorsConfig.NONE);
    }

    /** A configuration without a price table for models and with the MCP defaults (no stdio commands allowed). */
    public WeftConfig(ServerConfig server, ClusterConfig cluster, RunApiConfig run, FilesConfig files,
                      String masterKey, String hostname) {
        this(server, cluster, run, files, masterKey, hostname, LlmPrices.NONE, McpConfig.DEFAULT);
    }

    /** The defaults, environment ignored: what tests start from. */
    public static WeftConfig defaults() {
        return new WeftConfig(ServerConfig.defaults(), ClusterConfig.defaults(), RunApiConfig.DEFAULT,
                FilesConfig.DEFAULT, null, HOSTNAME_DEFAULT);
    }

    /**
     * The configuration from command-line {@code flags} (which win) and the environment {@code env}, defaults
     * where neither sets a value.
     *
     * @throws IllegalArgumentException naming the setting whose value is not understood
     */
    public static WeftConfig read(Flags flags, Map<String, String> env) {
        Function<String, String> get = name -> {
            String value = env.get(name);
            return value == null || value.isBlank() ? null : value.trim();
        };
        ServerConfig defaults = ServerConfig.defaults();
        ServerConfig server = new ServerConfig(
                first(flags.host(), get.apply("WEFT_HOST"), defaults.host()),
                flags.port() != null ? flags.port() : integer(get, "WEFT_PORT", defaults.port()),
                flags.data() != null ? flags.data() : Path.of(first(null, get.apply("WEFT_DATA"), defaults.dataDir().toString())),
                get.apply("WEFT_ADMIN_TOKEN"),
                integer(get, "WEFT_WORKER_SLOTS", defaults.workerSlots()),
                integer(get, "WEFT_NODE_THREADS", defaults.nodeThreads()),
                whole(get, "WEFT_MAX_BODY_BYTES", defaults.maxBodyBytes()),
                Boolean.parseBoolean(get.apply("WEFT_HTTP_ALLOW_PRIVATE")),
                Duration.ofSeconds(whole(get, "WEFT_WAIT_MAX_SECONDS", defaults.waitMax().toSeconds())),
                httpLimits(get));
        ClusterConfig cluster = new ClusterConfig(
                first(flags.dbUrl(), get.apply("WEFT_DB_URL"), null),
                Role.parse(first(flags.role(), get.apply("WEFT_ROLE"), Role.ALL.word())),
                setting("WEFT_LEASE", () -> ClusterConfig.duration(first(null, get.apply("WEFT_LEASE"), "30s"))),
                setting("WEFT_RETENTION", () -> ClusterConfig.retention(first(null, get.apply("WEFT_RETENTION"), "7d"))),
                setting("WEFT_SHUTDOWN_GRACE", () -> ClusterConfig.duration(first(null, get.apply("WEFT_SHUTDOWN_GRACE"),
                        ClusterConfig.SHUTDOWN_GRACE_DEFAULT.toSeconds() + "s"))));
        return new WeftConfig(server, cluster, RunApiConfig.fromEnvironment(env), FilesConfig.fromEnvironment(env),
                get.apply(CredentialCipher.ENV), get.apply("HOSTNAME"), LlmPrices.parse(get.apply(LlmPrices.ENV)),
                McpConfig.fromEnvironment(env), CorsConfig.fromEnvironment(env), OidcConfig.fromEnvironment(env));
    }

    public WeftConfig withServer(ServerConfig server) {
        return new WeftConfig(server, cluster, run, files, masterKey, hostname, llmPrices, mcp, cors, oidc);
    }

    public WeftConfig withCluster(ClusterConfig cluster) {
        return new WeftConfig(server, cluster, run, files, masterKey, hostname, llmPrices, mcp, cors, oidc);
    }

    public WeftConfig withRun(RunApiConfig run) {
        return new WeftConfig(server, cluster, run, files, masterKey, hostname, llmPrices, mcp, cors, oidc);
    }

    public WeftConfig withFiles(FilesConfig files) {
        return new WeftConfig(server, cluster, run, files, masterKey, hostname, llmPrices, mcp, cors, oidc);
    }

    public WeftConfig withLlmPrices(LlmPrices llmPrices) {
        return new WeftConfig(server, cluster, run, files, masterKey, hostname, llmPrices, mcp, cors, oidc);
    }

    public WeftConfig withMcp(McpConfig mcp) {
        return new WeftConfig(server, cluster, run, files, masterKey, hostname, llmPrices, mcp, cors, oidc);
    }

    /** The same, letting the pages of the origins {@code cors} allows call the run API. */
    public WeftConfig withCors(CorsConfig cors) {
        return new WeftConfig(server, cluster, run, files, masterKey, hostname, llmPrices, mcp, cors, oidc);
    }

    /** The same, signing people in through the OpenID Connect provider {@code oidc} describes. */
    public WeftConfig withOidc(OidcConfig oidc) {
        return new WeftConfig(server, cluster, run, files, masterKey, hostname, llmPrices, mcp, cors, oidc);
    }

    private static String first(String flag, String env, String fallback) {
        return flag != null ? flag : env != null ? env : fallback;
    }

    private static HttpLimits httpLimits(Function<String, String> get) {
        return new HttpLimits(
                duration(get, "WEFT_HTTP_IDLE_TIMEOUT", HttpLimits.IDLE_TIMEOUT_DEFAULT),
                duration(get, "WEFT_HTTP_HEADER_TIMEOUT", HttpLimits.HEADER_TIMEOUT_DEFAULT),
                whole(get, "WEFT_HTTP_MIN_BODY_RATE", HttpLimits.MIN_BODY_RATE_DEFAULT),
                duration(get, "WEFT_HTTP_BODY_GRACE", HttpLimits.BODY_GRACE_DEFAULT),
                integer(get, "WEFT_HTTP_MAX_CONNECTIONS", HttpLimits.MAX_CONNECTIONS_DEFAULT),
                integer(get, "WEFT_HTTP_MAX_CONNECTIONS_PER_ADDRESS", HttpLimits.MAX_PER_ADDRESS_DEFAULT));
    }

    private static Duration duration(Function<String, String> get, String name, Duration fallback) {
        String raw = get.apply(name);
        return raw == null ? fallback : setting(name, () -> ClusterConfig.duration(raw));
    }

    private static <T> T setting(String name, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static int integer(Function<String, String> get, String name, int fallback) {
        long value = whole(get, name, fallback);
        if (value > Integer.MAX_VALUE) throw new IllegalArgumentException(name + " is too large (got " + value + ")");
        return (int) value;
    }

    private static long whole(Function<String, String> get, String name, long fallback) {
        String raw = get.apply(name);
        if (raw == null) return fallback;
        try {
            long value = Long.parseLong(raw);
            if (value >= 0) return value;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number >= 0 (got '" + raw + "')");
    }
}
