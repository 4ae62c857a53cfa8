package dev.weft.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.CredentialsApi;
import dev.weft.api.FileInputs;
import dev.weft.api.FileLinks;
import dev.weft.api.FilesApi;
import dev.weft.api.FilesConfig;
import dev.weft.api.StoredFiles;
import dev.weft.api.FlowsApi;
import dev.weft.api.HttpRefusals;
import dev.weft.api.KeysApi;
import dev.weft.api.NodeTypesApi;
import dev.weft.api.ProblemMapper;
import dev.weft.api.RunApiConfig;
import dev.weft.api.RunApiServices;
import dev.weft.api.TasksApi;
import dev.weft.concurrent.Threads;
import dev.weft.engine.CompiledFlows;
import dev.weft.engine.Engine;
import dev.weft.engine.Limits;
import dev.weft.engine.ScheduledTimer;
import dev.weft.flow.FlowValidator;
import dev.weft.json.Json;
import dev.weft.kb.KnowledgeBases;
import dev.weft.key.AdminToken;
import dev.weft.key.ServerKeys;
import dev.weft.plugin.Plugins;
import dev.weft.plugin.PluginsApi;
import dev.weft.registry.NodeRegistry;
import dev.weft.builtin.BuiltinNodes;
import dev.weft.builtin.FlowRuns;
import dev.weft.builtin.AddressGuard;
import dev.weft.builtin.HttpNode;
import dev.weft.queue.Worker;
import dev.weft.ui.UiSite;
import dev.weft.store.CredentialCipher;
import dev.weft.store.Database;
import dev.weft.store.JdbcCredentialStore;
import dev.weft.store.JdbcFileStore;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcKeyStore;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.JdbcTaskList;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.json.JavalinJackson;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Weft: the database (embedded, or PostgreSQL shared with other processes), the engine and its worker,
 * the queue's background loops, and the HTTP API on one port; what runs depends on the process's {@link Role}.
 * This is the one place where the parts are wired together by hand.
 */
public final class WeftServer implements AutoCloseable {

    /** Threads for planning and for pure steps (templates, transforms bounded by their own time limit). */
    public static final int ENGINE_THREADS = 4;
    private static final Logger log = LoggerFactory.getLogger(WeftServer.class);

    private final Javalin http;
    private final AdminToken admin;
    private final Worker worker;
    private final String database;
    private final List<AutoCloseable> parts;

    /** {@code parts} are closed in their order after HTTP stops and the worker (null: none) has stopped. */
    private WeftServer(Javalin http, AdminToken admin, Worker worker, String database, List<AutoCloseable> parts) {
        this.http = http;
        this.admin = admin;
        this.worker = worker;
        this.database = database;
        this.parts = parts;
    }

    /** Starts a process of role {@code all} on the embedded database in the data folder. */
    public static WeftServer start(ServerConfig config) {
        return start(config, ClusterConfig.defaults());
    }

    /**
     * Opens the database (on the embedded one, resuming tasks its previous process left running), starts the
     * worker and the queue's loops, then serves HTTP.
     */
    public static WeftServer start(ServerConfig config, ClusterConfig cluster) {
        return start(config, cluster, RunApiConfig.fromEnvironment(System.getenv()));
    }

    /** {@link #start(ServerConfig, ClusterConfig)} with the run API's limits, callbacks and keys set by {@code run}. */
    public static WeftServer start(ServerConfig config, ClusterConfig cluster, RunApiConfig run) {
        return start(config, cluster, run, FilesConfig.fromEnvironment(System.getenv()));
    }

    /** {@link #start(ServerConfig, ClusterConfig, RunApiConfig)} with the file store's limit and URLs set by {@code fileConfig}. */
    public static WeftServer start(ServerConfig config, ClusterConfig cluster, RunApiConfig run, FilesConfig fileConfig) {
        Clock clock = Clock.systemUTC();
        AdminToken admin = AdminToken.load(config.adminToken(), config.dataDir());
        Database database = Database.open(cluster.dbUrl(), config.dataDir());
        if (!database.dialect().shared() && cluster.role() != Role.ALL) {
            database.close();
            throw new IllegalArgumentException("role " + cluster.role().word() + " needs a database shared by several "
                    + "processes (--db-url jdbc:postgresql://...); the embedded database belongs to one process");
        }
        JdbcCredentialStore credentials = new JdbcCredentialStore(database,
                CredentialCipher.load(System.getenv(CredentialCipher.ENV), config.dataDir()), clock);
        JdbcFlowStore flows = new JdbcFlowStore(database, clock);
        JdbcTaskStore tasks = new JdbcTaskStore(database, flows, clock, owner(), cluster.lease());
        ScheduledTimer timer = new ScheduledTimer(clock);
        ExecutorService nodePool = Threads.fixed("weft-node", config.nodeThreads());
        ExecutorService control = Threads.fixed("weft-engine", ENGINE_THREADS);
        StoredFlows published = new StoredFlows(flows, tasks);
        JdbcFileStore files = new JdbcFileStore(database, config.dataDir().resolve(JdbcFileStore.FOLDER), clock);
        FileLinks links = new FileLinks(fileConfig.publicUrl());
        links.listening(config.host(), config.port());   // tasks resumed before HTTP starts may store files already
        Plugins plugins = Plugins.load(config.dataDir().resolve(Plugins.FOLDER));
        KnowledgeBases knowledge = KnowledgeWiring.start(database, config.dataDir(), clock, owner(), credentials,
                cluster.role());
        NodeRegistry registry = BuiltinNodes.registry(new HttpNode.Options(config.allowPrivateHttp(),
                HttpNode.Options.DEFAULT.maxResponseBytes(), HttpNode.Options.DEFAULT.maxRedirects()), credentials,
                new FlowRuns(published, nodePool, control, timer, clock), timer, clock,
                new StoredFiles(files, tasks, links, fileConfig.maxBytes()), fileConfig.maxBytes(),
                new StoredKnowledge(knowledge, files), plugins.types(),
                plugins::refuse);
        if (!database.dialect().shared()) {
            int resumed = tasks.queue().requeueOrphans();
            if (resumed > 0) log.info("resuming {} task(s) left running by the previous process", resumed);
        }
        ServerKeys keys = new ServerKeys(new JdbcKeyStore(database, clock), clock);

        RunApiServices runApi = RunApiServices.create(new RunApiServices.Inputs(database, flows, tasks, keys, admin,
                clock, run, config.waitMax(), config.allowPrivateHttp() ? AddressGuard.allowingPrivate()
                : AddressGuard.publicOnly(), new FileInputs(files, links)));
        Engine engine = new Engine(new Engine.Parts(tasks.journal(), nodePool, control, timer, clock, Limits.DEFAULT,
                runApi.listener()));
        CompiledFlows compiled = new CompiledFlows(tasks::flowVersion, registry);
        Worker worker = null;
        if (cluster.role().runsTasks()) {
            worker = new Worker(runApi.queue(), engine, compiled, tasks.journal(), clock, config.workerSlots(),
                    Worker.POLL_DEFAULT);
        }
        QueueLoops loops = QueueLoops.start(database, worker, cluster.role().servesApi() ? runApi.waits() : null, clock,
                cluster);

        runApi.start(engine, worker, config.workerSlots(), registry, compiled);
        published.attach(runApi.intake(), compiled, runApi.cancellations(), runApi.recent());
        if (worker != null) worker.start();   // once subflow steps can start child tasks
        FlowsApi flowsApi = new FlowsApi(flows, new FlowValidator(registry));
        KeysApi keysApi = new KeysApi(keys, flows, clock);
        HttpLimits limits = config.http();
        ConnectionGuard guard = new ConnectionGuard(limits);
        Javalin http = Javalin.create(cfg -> {
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            // In front of the servlet: bodies gathered without a thread, then a minimum rate for larger streams.
            cfg.jetty.modifyServer(server -> {
                server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
                server.setHandler(new BodyPrefetch(guard, limits, config.maxBodyBytes(),
                        new MinimumDataRateHandler(limits.minBodyRate(), 0)));
            });
            cfg.jetty.addConnector((server, httpConfig) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                connector.setHost(config.host());
                connector.setPort(config.port());
                connector.setIdleTimeout(limits.idleTimeout().toMillis());
                connector.addBean(guard);
                return connector;
            });
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.jetty.multipartConfig.maxFileSize(fileConfig.maxBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(fileConfig.maxBytes() + FilesApi.MULTIPART_OVERHEAD, SizeUnit.BYTES);
            cfg.http.asyncTimeout = runApi.asyncTimeout().toMillis();
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.modifyServletContextHandler(handler -> handler.addFilter(new RealMethodFilter(), "/*",
                    EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC)));
            // what Jetty refuses before a route sees it is answered in the API's problem+json shape too
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new HttpRefusals()));
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new HttpRefusals()));
            cfg.routes.get("/health", ctx -> ctx.json(status("ok")));
            runApi.registerOperations(cfg.routes);
            if (!cluster.role().servesApi()) {   // a worker process serves only /health, /ready and /metrics
                ProblemMapper.register(cfg.routes);
                return;
            }
            cfg.routes.before("/api/v1/flows*", ctx -> admin.check(ctx.header("Authorization")));
            cfg.routes.before("/api/v1/keys*", ctx -> admin.check(ctx.header("Authorization")));
            cfg.routes.before("/api/v1/credentials*", ctx -> admin.check(ctx.header("Authorization")));
            cfg.routes.before(PluginsApi.PATH, ctx -> admin.check(ctx.header("Authorization")));
            runApi.register(cfg);
            flowsApi.register(cfg.routes);
            keysApi.register(cfg.routes);
            new NodeTypesApi(registry, keys, admin).register(cfg.routes);
            new PluginsApi(plugins).register(cfg.routes);
            new CredentialsApi(credentials).register(cfg.routes);
            new FilesApi(files, runApi.callers(), links, fileConfig.maxBytes()).register(cfg.routes);
            new TasksApi(new JdbcTaskList(database), admin).register(cfg.routes);
            KnowledgeWiring.register(cfg.routes, admin, knowledge, credentials, fileConfig.maxBytes());
            UiSite.install(cfg, admin, config.dataDir());
            ProblemMapper.register(cfg.routes);
        });
        http.start(config.host(), config.port());
        links.listening(config.host(), http.port());
        return new WeftServer(http, admin, worker, database.describe(), List.of(loops, runApi, knowledge, nodePool::shutdownNow,
                control::shutdown, timer, database, plugins));
    }

    /** How this process names itself in a task's {@code lease_owner}: host, pid and a random part. */
    private static String owner() {
        String host = System.getenv().getOrDefault("HOSTNAME", "weft");
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ObjectNode status(String status) {
        ObjectNode json = Json.object();
        json.put("status", status);
        return json;
    }

    public int port() {
        return http.port();
    }

    /** Every HTTP route this server answers, as {@code "GET /api/v1/task/{task_id}"} (filters excluded). */
    public List<String> routes() {
        return http.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(entry -> entry.endpoint.method.isHttpMethod())
                .map(entry -> entry.endpoint.method.name() + " " + entry.endpoint.path)
                .toList();
    }

    public AdminToken admin() {
        return admin;
    }

    /** The database this process uses, for messages (no password). */
    public String database() {
        return database;
    }

    /**
     * Stops gracefully (SIGTERM): stops serving, claims nothing more, lets running tasks finish for up to
     * {@code grace}, gives the unfinished ones back to the queue (another process takes them over at once; the
     * embedded database's next start resumes them), then closes everything.
     */
    public void shutdown(Duration grace) {
        try {
            http.stop();
            if (worker != null) worker.shutdown(grace);
        } finally {
            closeParts();
        }
    }

    /** Stops at once: {@link #shutdown(Duration)} with no grace. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    private void closeParts() {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                log.warn("closing {} failed", part, e);
            }
        }
    }
}
