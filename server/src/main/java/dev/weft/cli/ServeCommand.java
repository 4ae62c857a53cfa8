package dev.weft.cli;

import dev.weft.server.ClusterConfig;
import dev.weft.server.ServerConfig;
import dev.weft.server.WeftConfig;
import dev.weft.server.WeftServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft serve}: starts the server, on the embedded database or on a PostgreSQL shared with other Weft
 * processes, and runs until stopped; SIGTERM (Ctrl-C) stops it gracefully (see {@link WeftServer#shutdown}).
 */
@Command(name = "serve", description = "Start Weft: the run API, the management API and the worker.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", description = "Port to listen on (env WEFT_PORT; default 8080).")
    Integer port;

    @Option(names = "--host", description = "Address to listen on (env WEFT_HOST; default 127.0.0.1).")
    String host;

    @Option(names = "--data", description = "Data folder for the embedded database (env WEFT_DATA; default ./data).")
    Path data;

    @Option(names = "--db-url", description = "A PostgreSQL database shared by several Weft processes, "
            + "jdbc:postgresql://host:port/db?user=...&password=... (env WEFT_DB_URL; default: the embedded "
            + "database in the data folder).")
    String dbUrl;

    @Option(names = "--role", description = "all (default), api (accept and answer, run nothing) or worker (run "
            + "tasks, serve only /health); api and worker need --db-url (env WEFT_ROLE).")
    String role;

    @Override
    public Integer call() throws InterruptedException {
        WeftConfig weft = WeftConfig.read(new WeftConfig.Flags(host, port, data, dbUrl, role), System.getenv());
        ServerConfig config = weft.server();
        ClusterConfig cluster = weft.cluster();
        WeftServer server = WeftServer.start(weft);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown(cluster.shutdownGrace());
            stopped.countDown();
        }, "weft-shutdown"));
        String base = "http://" + config.host() + ":" + server.port();
        String where = cluster.dbUrl() == null ? "data in " + config.dataDir().toAbsolutePath()
                : "database " + server.database();
        System.out.println("Weft is running at " + base + " (role " + cluster.role().word() + ", " + where + ")");
        if (server.admin().file() == null) {
            System.out.println("Admin token: the value of WEFT_ADMIN_TOKEN");
        } else if (server.admin().created()) {
            System.out.println("Admin token (made now, kept in " + server.admin().file() + "): " + server.admin().value());
        } else {
            System.out.println("Admin token: cat " + server.admin().file());
        }
        System.out.println("Try: curl " + base + "/health");
        stopped.await();
        return 0;
    }
}
