package dev.weft.server;

import dev.weft.http.BodyPrefetch;
import dev.weft.http.ConnectionGuard;
import dev.weft.http.Cors;
import dev.weft.http.HttpLimits;
import dev.weft.http.RealMethodFilter;
import dev.weft.run.StoredFlows;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.manage.CredentialsApi;
import dev.weft.file.FileInputs;
import dev.weft.file.FileLinks;
import dev.weft.file.FilesApi;
import dev.weft.file.FilesConfig;
import dev.weft.file.StoredFiles;
import dev.weft.manage.FlowsApi;
import dev.weft.manage.VersionsApi;
import dev.weft.manage.CredentialUsage;
import dev.weft.manage.TemplatesApi;
import dev.weft.gallery.Gallery;
import dev.weft.manage.SessionsApi;
import dev.weft.http.HttpRefusals;
import dev.weft.manage.KeysApi;
import dev.weft.manage.NodeTypesApi;
import dev.weft.http.ProblemMapper;
import dev.weft.manage.TasksApi;
import dev.weft.concurrent.Loop;
import dev.weft.concurrent.Threads;
import dev.weft.engine.CompiledFlows;
import dev.weft.engine.Engine;
import dev.weft.engine.Limits;
import dev.weft.engine.ScheduledTimer;
import dev.weft.flow.FlowValidator;
import dev.weft.json.Json;
import dev.weft.auth.AdminToken;
import dev.weft.auth.Callers;
import dev.weft.auth.ServerKeys;
import dev.weft.auth.RateLimits;
import dev.weft.auth.PasswordHasher;
import dev.weft.auth.Team;
import dev.weft.auth.OidcApi;
import dev.weft.store.JdbcOidcStore;
import dev.weft.audit.AuditRetention;
import dev.weft.kb.KnowledgeBases;
import dev.weft.plugin.Plugins;
import dev.weft.plugin.PluginsApi;
import dev.weft.registry.NodeRegistry;
import dev.weft.builtin.BuiltinNodes;
import dev.weft.builtin.PythonRuntime;
import dev.weft.builtin.FlowRuns;
import dev.weft.builtin.AddressGuard;
import dev.weft.builtin.HttpNode;
import dev.weft.queue.Worker;
import dev.weft.web.UiSite;
import dev.weft.store.CredentialCipher;
import dev.weft.store.Database;
import dev.weft.store.JdbcConversations;
import dev.weft.store.JdbcCredentialStore;
import dev.weft.store.JdbcFileStore;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcKeyStore;
import dev.weft.store.JdbcRateBuckets;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.JdbcTaskList;
import dev.weft.store.JdbcTaskTriggers;
import dev.weft.store.JdbcWebhookStore;
import dev.weft.hook.HooksApi;
import dev.weft.hook.Webhooks;
import dev.weft.hook.WebhooksApi;
import dev.weft.store.JdbcScheduleStore;
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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    /** How often the rate limits' buckets that are full again are deleted (on a shared database). */
    static final Duration RATE_BUCKETS_SWEEP = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(WeftServer.class);

    private final Javalin http;
    private final AdminToken admin;
    private final Worker worker;
    private final String database;
    private final List<AutoCloseable> parts;
    private final List<String> routes;

    /** {@code parts} are closed in their order after HTTP stops and the worker (null: none) has stopped. */
    private WeftServer(Javalin http, AdminToken admin, Worker worker, String database, List<AutoCloseable> parts,
                       List<String> routes) {
        this.routes = List.copyOf(routes);
        this.http = http;
        this.admin = admin;
        this.worker = worker;
        this.database = database;
        this.parts = parts;
    }

    /**
     * Starts a process as {@code config} says, in three phases: the database and its stores (on the embedded one,
     * resuming tasks its previous process left running); the engine, the worker, the intake and the queue's loops;
     * then HTTP.
     */
    public static WeftServer start(WeftConfig config) {
        Clock clock = Clock.systemUTC();
        Stores stores = Stores.open(config, clock);
        Running running = Running.start(config, stores, clock);
        Javalin http = serve(config, stores, running);
        running.links().listening(config.server().host(), http.port());
        List<AutoCloseable> parts = new ArrayList<>(running.parts());
        stores.rateBuckets().ifPresent(buckets -> parts.add(Loop.every("weft-rate-buckets", RATE_BUCKETS_SWEEP,
                () -> buckets.forget(clock.millis())).start()));
        parts.add(stores.team().retention());
        parts.add(stores.database());
        parts.add(running.plugins());
        return new WeftServer(http, stores.admin(), running.worker(), stores.database().describe(), parts,
                running.routes());
    }

    /** Phase 1: the admin token, the database and the stores over it. */
    record Stores(AdminToken admin, Database database, JdbcCredentialStore credentials, JdbcFlowStore flows,
                  JdbcTaskStore tasks, JdbcFileStore files, ServerKeys keys, Team team,
                  Optional<JdbcRateBuckets> rateBuckets, RateLimits rateLimits) {

        static Stores open(WeftConfig config, Clock clock) {
            ServerConfig server = config.server();
            ClusterConfig cluster = config.cluster();
            AdminToken admin = AdminToken.load(server.adminToken(), server.dataDir());
            Database database = Database.open(cluster.dbUrl(), server.dataDir());
            if (!database.dialect().shared() && cluster.role() != Role.ALL) {
                database.close();
                throw new IllegalArgumentException("role " + cluster.role().word() + " needs a database shared by "
                        + "several processes (--db-url jdbc:postgresql://...); the embedded database belongs to one process");
            }
            JdbcCredentialStore credentials = new JdbcCredentialStore(database,
                    CredentialCipher.load(config.masterKey(), server.dataDir()), clock);
            JdbcFlowStore flows = new JdbcFlowStore(database, clock);
            JdbcTaskStore tasks = new JdbcTaskStore(database, flows, clock, owner(config.hostname()), cluster.lease());
            JdbcFileStore files = new JdbcFileStore(database, server.dataDir().resolve(JdbcFileStore.FOLDER), clock);
            ServerKeys keys = new ServerKeys(new JdbcKeyStore(database, clock), clock);
            // users, sessions, roles and the audit log (issue 15); an older data folder's admin password becomes its owner
            Team team = Team.open(database, server.dataDir(), clock, AuditRetention.keep(System::getenv),
                    PasswordHasher.Cost.DEFAULT);
            // rate limits hold across every process on a shared database; SQLite's one process keeps them in memory
            Optional<JdbcRateBuckets> buckets = database.dialect().shared() ? Optional.of(new JdbcRateBuckets(database))
                    : Optional.empty();
            RateLimits rateLimits = buckets.map(b -> RateLimits.shared(b, clock)).orElse(RateLimits.IN_MEMORY);
            return new Stores(admin, database, credentials, flows, tasks, files, keys, team, buckets, rateLimits);
        }
    }

    /**
     * Phase 2: the node registry, the engine and its worker, the intake and the run API's services, the queue's
     * loops; {@code parts} are closed in their order on shutdown, before the database.
     */
    record Running(NodeRegistry registry, Plugins plugins, KnowledgeBases knowledge, FileLinks links, Worker worker,
                   RunApiServices runApi, McpWiring mcp,
                   List<AutoCloseable> parts, List<String> routes) {

        static Running start(WeftConfig config, Stores stores, Clock clock) {
            ServerConfig server = config.server();
            ClusterConfig cluster = config.cluster();
            FilesConfig fileConfig = config.files();
            JdbcTaskStore tasks = stores.tasks();
            ScheduledTimer timer = new ScheduledTimer(clock);
            ExecutorService nodePool = Threads.fixed("weft-node", server.nodeThreads());
            ExecutorService control = Threads.fixed("weft-engine", ENGINE_THREADS);
            StoredFlows published = new StoredFlows(stores.flows(), tasks);
            FileLinks links = new FileLinks(fileConfig.publicUrl());
            links.listening(server.host(), server.port());   // tasks resumed before HTTP starts may store files already
            Plugins plugins = Plugins.load(server.dataDir().resolve(Plugins.FOLDER));
            KnowledgeBases knowledge = KnowledgeWiring.start(stores.database(), server.dataDir(), clock,
                    owner(config.hostname()), stores.credentials(), cluster.role());
            McpWiring mcp = McpWiring.start(stores.database(), stores.credentials(), server.allowPrivateHttp(),
                    config.mcp(), clock);
            PythonRuntime python = new PythonRuntime();   // its sandbox starts on the first python run
            NodeRegistry registry = BuiltinNodes.registry(BuiltinNodes.Services.of(new HttpNode.Options(
                    server.allowPrivateHttp(), HttpNode.Options.DEFAULT.maxResponseBytes(),
                    HttpNode.Options.DEFAULT.maxRedirects()))
                    .withCredentials(stores.credentials())
                    .withRuns(new FlowRuns(published, nodePool, control, timer, clock), timer, clock)
                    .withFiles(new StoredFiles(stores.files(), tasks, links, fileConfig.maxBytes()), fileConfig.maxBytes())
                    .withKnowledge(new StoredKnowledge(knowledge, stores.files()))
                    .withMcp(mcp.clients(), new StoredConversations(new JdbcConversations(stores.database(), clock)))
                    .withPlugins(plugins.types(), plugins::refuse)
                    .withPython(python));
            if (!stores.database().dialect().shared()) {
                int resumed = tasks.queue().requeueOrphans();
                if (resumed > 0) log.info("resuming {} task(s) left running by the previous process", resumed);
            }
            AddressGuard guard = server.allowPrivateHttp() ? AddressGuard.allowingPrivate() : AddressGuard.publicOnly();
            RunObservers observers = new RunObservers(stores.database(), tasks, stores.keys(), stores.admin(), clock,
                    config.run(), guard, stores.rateLimits());
            observers.llmPrices(config.llmPrices());
            Engine engine = new Engine(new Engine.Parts(tasks.journal(), nodePool, control, timer, clock,
                    Limits.DEFAULT, observers.listener()));
            CompiledFlows compiled = new CompiledFlows(tasks::flowVersion, registry);
            Worker worker = cluster.role().runsTasks() ? new Worker(observers.queue(), engine, compiled,
                    tasks.journal(), clock, server.workerSlots(), Worker.POLL_DEFAULT) : null;
            QueueLoops loops = QueueLoops.start(stores.database(), worker,
                    cluster.role().servesApi() ? observers.waits() : null, clock, cluster);
            RunApiServices runApi = new RunApiServices(new RunApiServices.Inputs(stores.database(), stores.flows(),
                    tasks, stores.admin(), clock, config.run(), server.waitMax(),
                    new FileInputs(stores.files(), links), observers, engine, worker, server.workerSlots(), registry,
                    compiled));
            // the registry's subflow and map nodes start and stop child tasks through the intake made from it
            published.attach(runApi.intake(), compiled, runApi.cancellations(), observers.recent());
            published.attachWaits(observers.waits());   // a resumed agent waits for the child its flow tool started
            if (worker != null) worker.start();   // once subflow steps can start child tasks
            return new Running(registry, plugins, knowledge, links, worker, runApi, mcp, List.of(loops, runApi, knowledge,
                    mcp.clients(), nodePool::shutdownNow, control::shutdown, timer, python), new ArrayList<>());
        }
    }

    /** Phase 3: HTTP, started; every route registered is recorded in {@code running.routes()}. */
    private static Javalin serve(WeftConfig config, Stores stores, Running running) {
        ServerConfig server = config.server();
        FilesConfig fileConfig = config.files();
        AdminToken admin = stores.admin();
        RunApiServices runApi = running.runApi();
        Callers callers = runApi.callers();
        TemplatesApi templatesApi = new TemplatesApi(Gallery.load(), stores.flows(),
                new FlowValidator(running.registry()));
        FlowsApi flowsApi = new FlowsApi(stores.flows(), new FlowValidator(running.registry()), templatesApi);
        KeysApi keysApi = new KeysApi(stores.keys(), stores.flows(), Clock.systemUTC());
        HttpLimits limits = server.http();
        ConnectionGuard guard = new ConnectionGuard(limits);
        Javalin http = Javalin.create(cfg -> {
            cfg.events.handlerAdded(meta -> {
                if (meta.getHttpMethod().isHttpMethod()) running.routes().add(meta.getHttpMethod().name() + " " + meta.getPath());
            });
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            // In front of the servlet: bodies gathered without a thread, then a minimum rate for larger streams.
            cfg.jetty.modifyServer(jetty -> {
                jetty.addBean(new NetworkConnectionLimit(limits.maxConnections(), jetty));
                jetty.setHandler(new BodyPrefetch(guard, limits, server.maxBodyBytes(), Set.of(FilesApi.UPLOAD_PATH),
                        new MinimumDataRateHandler(limits.minBodyRate(), 0)));
            });
            cfg.jetty.addConnector((jetty, httpConfig) -> {
                ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(httpConfig));
                connector.setHost(server.host());
                connector.setPort(server.port());
                connector.setIdleTimeout(limits.idleTimeout().toMillis());
                connector.addBean(guard);
                return connector;
            });
            cfg.http.maxRequestSize = server.maxBodyBytes();
            cfg.jetty.multipartConfig.maxFileSize(fileConfig.maxBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(fileConfig.maxBytes() + FilesApi.MULTIPART_OVERHEAD, SizeUnit.BYTES);
            cfg.http.asyncTimeout = runApi.asyncTimeout().toMillis();
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.modifyServletContextHandler(handler -> handler.addFilter(new RealMethodFilter(), "/*",
                    EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC)));
            // what Jetty refuses before a route sees it is answered in the API's problem+json shape too
            cfg.jetty.modifyServer(jetty -> jetty.setErrorHandler(new HttpRefusals()));
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new HttpRefusals()));
            cfg.routes.get("/health", ctx -> ctx.json(status("ok")));
            runApi.registerOperations(cfg.routes);
            if (!config.cluster().role().servesApi()) {   // a worker process serves only /health, /ready and /metrics
                ProblemMapper.register(cfg.routes);
                return;
            }
            Cors.register(cfg.routes, config.cors());   // first: a preflight is answered before any credential is asked for
            cfg.routes.before("/api/v1/flows*", ctx -> callers.require(ctx, Callers.Scope.ADMIN));
            cfg.routes.before("/api/v1/keys*", ctx -> callers.require(ctx, Callers.Scope.ADMIN));
            cfg.routes.before("/api/v1/credentials*", ctx -> callers.require(ctx, Callers.Scope.ADMIN));
            cfg.routes.before("/api/v1/templates*", ctx -> callers.require(ctx, Callers.Scope.ADMIN));
            cfg.routes.before(PluginsApi.PATH, ctx -> callers.require(ctx, Callers.Scope.ADMIN));
            for (String path : List.of("/api/v1/members*", "/api/v1/account*", "/api/v1/audit*", "/api/v1/invitations")) {
                cfg.routes.before(path, ctx -> callers.require(ctx, Callers.Scope.ADMIN));
            }
            for (String path : List.of("/api/v1/workspaces*", "/api/v1/session/workspace")) {   // workspaces (issue 15)
                cfg.routes.before(path, ctx -> callers.require(ctx, Callers.Scope.ADMIN));
            }
            stores.team().policy().register(cfg.routes);   // roles, checked in one place for every route (issue 15)
            new dev.weft.auth.WorkspacesApi(stores.team().accounts().users(), stores.team().sessions(),
                    stores.team().audit(), stores.files()).register(cfg.routes);
            // an object of another workspace named in a path is a 404, like one that does not exist (issue 15)
            dev.weft.auth.WorkspaceGuard workspaceGuard = new dev.weft.auth.WorkspaceGuard(stores.flows(),
                    id -> runApi.lookup().lookup(id).map(task -> java.util.OptionalLong.of(task.workspaceId()))
                            .orElse(java.util.OptionalLong.empty()),
                    new dev.weft.store.JdbcWorkspaceOf(stores.database()));
            workspaceGuard.register(cfg.routes);
            callers.guard(workspaceGuard);
            runApi.register(cfg);
            flowsApi.register(cfg.routes);
            new VersionsApi(stores.flows(), new FlowValidator(running.registry())).register(cfg.routes);
            templatesApi.register(cfg.routes);
            keysApi.register(cfg.routes);
            new NodeTypesApi(running.registry(), callers).register(cfg.routes);
            new PluginsApi(running.plugins()).register(cfg.routes);
            new CredentialsApi(stores.credentials(), new CredentialUsage(stores.flows(), running.mcp().servers()::list,
                    new JdbcWebhookStore(stores.database(), Clock.systemUTC())::live))
                    .register(cfg.routes);
            new SessionsApi(stores.flows(), new JdbcConversations(stores.database(), Clock.systemUTC()))
                    .register(cfg.routes);
            new FilesApi(stores.files(), callers, running.links(), fileConfig.maxBytes()).register(cfg.routes);
            new TasksApi(new JdbcTaskList(stores.database()), callers,
                    new JdbcScheduleStore(stores.database(), Clock.systemUTC()), new JdbcTaskTriggers(stores.database()))
                    .register(cfg.routes);
            KnowledgeWiring.register(cfg.routes, callers, running.knowledge(), stores.credentials(), fileConfig.maxBytes());
            webhooks(cfg.routes, stores, running, new HooksApi.Limits(server.maxBodyBytes(), server.waitMax()));
            running.mcp().register(cfg.routes, callers, stores.credentials());
            FormsWiring.register(cfg.routes, new FormsWiring.Parts(stores.database(), stores.flows(), stores.files(),
                    runApi.compiled(), running.links(), fileConfig.maxBytes(), runApi,
                    stores.team().accounts().hasher(), stores.rateLimits()));
            UiSite.install(cfg, admin, stores.team());
            // single sign-on through an OpenID Connect provider (issue 15); its routes answer 404 while it is off
            new OidcApi(config.oidc(), new JdbcOidcStore(stores.database(), stores.team().clock()), stores.team(),
                    fileConfig.publicUrl()).register(cfg.routes);
            ProblemMapper.register(cfg.routes);
        });
        http.start(server.host(), server.port());
        return http;
    }

    /** Webhook triggers: their management (admin, under {@code /api/v1/flows}) and {@code POST /hooks/{token}}. */
    private static void webhooks(io.javalin.config.RoutesConfig routes, Stores stores, Running running,
                                 HooksApi.Limits limits) {
        Webhooks webhooks = new Webhooks(new JdbcWebhookStore(stores.database(), Clock.systemUTC()), Clock.systemUTC());
        new WebhooksApi(webhooks, stores.flows(), stores.credentials(), running.links(), limits.bodyCap())
                .register(routes);
        new HooksApi(webhooks, stores.credentials(), running.runApi().executions(), running.runApi().answers(),
                Clock.systemUTC(), limits, stores.rateLimits()).register(routes);
    }

    /** How this process names itself in a task's {@code lease_owner}: host, pid and a random part. */
    private static String owner(String hostname) {
        return hostname + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
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
        return routes;
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
