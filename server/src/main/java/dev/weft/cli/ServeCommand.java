package dev.weft.cli;

import dev.weft.server.ServerConfig;
import dev.weft.server.WeftServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weft serve}: starts the server on the embedded database and runs until stopped (Ctrl-C, SIGTERM). */
@Command(name = "serve", description = "Start Weft: the run API, the management API and the worker.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", description = "Port to listen on (env WEFT_PORT; default 8080).")
    Integer port;

    @Option(names = "--host", description = "Address to listen on (env WEFT_HOST; default 127.0.0.1).")
    String host;

    @Option(names = "--data", description = "Data folder for the embedded database (env WEFT_DATA; default ./data).")
    Path data;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig defaults = ServerConfig.defaults();
        ServerConfig config = new ServerConfig(
                host != null ? host : Weft.env("WEFT_HOST", defaults.host()),
                port != null ? port : Integer.parseInt(Weft.env("WEFT_PORT", String.valueOf(defaults.port()))),
                data != null ? data : Path.of(Weft.env("WEFT_DATA", defaults.dataDir().toString())),
                Weft.env("WEFT_ADMIN_TOKEN", null),
                Integer.parseInt(Weft.env("WEFT_WORKER_SLOTS", String.valueOf(defaults.workerSlots()))),
                Integer.parseInt(Weft.env("WEFT_NODE_THREADS", String.valueOf(defaults.nodeThreads()))),
                Long.parseLong(Weft.env("WEFT_MAX_BODY_BYTES", String.valueOf(defaults.maxBodyBytes()))),
                Boolean.parseBoolean(Weft.env("WEFT_HTTP_ALLOW_PRIVATE", "false")),
                Duration.ofSeconds(Long.parseLong(Weft.env("WEFT_WAIT_MAX_SECONDS",
                        String.valueOf(defaults.waitMax().toSeconds())))));
        WeftServer server = WeftServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "weft-shutdown"));
        String base = "http://" + config.host() + ":" + server.port();
        System.out.println("Weft is running at " + base + " (data in " + config.dataDir().toAbsolutePath() + ")");
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
