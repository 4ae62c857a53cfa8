package dev.weft.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.Executions;
import dev.weft.api.FlowsApi;
import dev.weft.api.KeysApi;
import dev.weft.api.NodeTypesApi;
import dev.weft.api.ProblemMapper;
import dev.weft.api.RecentTasks;
import dev.weft.api.RunApi;
import dev.weft.engine.Engine;
import dev.weft.engine.Limits;
import dev.weft.engine.ScheduledTimer;
import dev.weft.flow.FlowValidator;
import dev.weft.json.Json;
import dev.weft.key.AdminToken;
import dev.weft.key.ServerKeys;
import dev.weft.node.NodeRegistry;
import dev.weft.nodes.BuiltinNodes;
import dev.weft.nodes.HttpNode;
import dev.weft.queue.Worker;
import dev.weft.store.Database;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcKeyStore;
import dev.weft.store.JdbcTaskStore;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Weft: the embedded database, the engine and its worker, and the HTTP API on one port. This is the
 * one place where the parts are wired together by hand.
 */
public final class WeftServer implements AutoCloseable {

    /** Threads for planning and for pure steps (templates, transforms bounded by their own time limit). */
    public static final int ENGINE_THREADS = 4;
    private static final Logger log = LoggerFactory.getLogger(WeftServer.class);

    private final Database database;
    private final ScheduledTimer timer;
    private final ExecutorService nodes;
    private final ExecutorService control;
    private final Worker worker;
    private final Javalin http;
    private final AdminToken admin;

    private WeftServer(Database database, ScheduledTimer timer, ExecutorService nodes, ExecutorService control,
                       Worker worker, Javalin http, AdminToken admin) {
        this.database = database;
        this.timer = timer;
        this.nodes = nodes;
        this.control = control;
        this.worker = worker;
        this.http = http;
        this.admin = admin;
    }

    /** Opens the database (resuming tasks a previous process left running), starts the worker, then serves HTTP. */
    public static WeftServer start(ServerConfig config) {
        Clock clock = Clock.systemUTC();
        AdminToken admin = AdminToken.load(config.adminToken(), config.dataDir());
        Database database = Database.openSqlite(config.dataDir());
        NodeRegistry registry = BuiltinNodes.registry(new HttpNode.Options(config.allowPrivateHttp(),
                HttpNode.Options.DEFAULT.maxResponseBytes(), HttpNode.Options.DEFAULT.maxRedirects()));
        JdbcFlowStore flows = new JdbcFlowStore(database, clock);
        JdbcTaskStore tasks = new JdbcTaskStore(database, flows, clock, UUID.randomUUID().toString(),
                JdbcTaskStore.LEASE_DEFAULT);
        int resumed = tasks.requeueOrphans();
        if (resumed > 0) log.info("resuming {} task(s) left running by the previous process", resumed);
        ServerKeys keys = new ServerKeys(new JdbcKeyStore(database, clock), clock);

        ScheduledTimer timer = new ScheduledTimer(clock);
        ExecutorService nodePool = Threads.fixed("weft-node", config.nodeThreads());
        ExecutorService control = Threads.fixed("weft-engine", ENGINE_THREADS);
        RecentTasks recent = new RecentTasks(RecentTasks.CAPACITY_DEFAULT);
        Engine engine = new Engine(new Engine.Parts(tasks, nodePool, control, timer, clock, Limits.DEFAULT, recent));
        Worker worker = new Worker(tasks, engine, registry, tasks, clock, config.workerSlots(), Worker.POLL_DEFAULT);
        worker.start();

        Executions executions = new Executions(flows, tasks, registry, worker, recent);
        RunApi runApi = new RunApi(executions, tasks, keys, admin, recent);
        FlowsApi flowsApi = new FlowsApi(flows, new FlowValidator(registry));
        KeysApi keysApi = new KeysApi(keys);
        Javalin http = Javalin.create(cfg -> {
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/health", ctx -> ctx.json(status("ok")));
            cfg.routes.before("/api/v1/flows*", ctx -> admin.check(ctx.header("Authorization")));
            cfg.routes.before("/api/v1/keys*", ctx -> admin.check(ctx.header("Authorization")));
            runApi.register(cfg.routes);
            flowsApi.register(cfg.routes);
            keysApi.register(cfg.routes);
            new NodeTypesApi(registry, keys, admin).register(cfg.routes);
            ProblemMapper.register(cfg.routes);
        });
        http.start(config.host(), config.port());
        return new WeftServer(database, timer, nodePool, control, worker, http, admin);
    }

    private static ObjectNode status(String status) {
        ObjectNode json = Json.object();
        json.put("status", status);
        return json;
    }

    public int port() {
        return http.port();
    }

    public AdminToken admin() {
        return admin;
    }

    @Override
    public void close() {
        http.stop();
        worker.close();
        nodes.shutdownNow();
        control.shutdown();
        timer.close();
        database.close();
    }

}
