package dev.weft.server;

import dev.weft.http.HttpLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a Weft server runs: where it listens, its data folder, its admin token (null: made at first start), and
 * its limits ({@code http}: timeouts and connection caps against slow clients). Defaults are named constants; the command line and environment fill the rest.
 */
public record ServerConfig(String host, int port, Path dataDir, String adminToken, int workerSlots, int nodeThreads,
                           long maxBodyBytes, boolean allowPrivateHttp, Duration waitMax, HttpLimits http) {

    public static final String HOST_DEFAULT = "127.0.0.1";
    public static final int PORT_DEFAULT = 8080;
    public static final Path DATA_DEFAULT = Path.of("data");
    public static final int WORKER_SLOTS_DEFAULT = 256;
    public static final int NODE_THREADS_DEFAULT = 64;
    public static final long MAX_BODY_DEFAULT = 8L * 1024 * 1024;
    /** The longest {@code ?wait} a request may ask for. */
    public static final Duration WAIT_MAX_DEFAULT = Duration.ofSeconds(60);

    public static ServerConfig defaults() {
        return new ServerConfig(HOST_DEFAULT, PORT_DEFAULT, DATA_DEFAULT, null, WORKER_SLOTS_DEFAULT,
                NODE_THREADS_DEFAULT, MAX_BODY_DEFAULT, false, WAIT_MAX_DEFAULT, HttpLimits.DEFAULT);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, dataDir, adminToken, workerSlots, nodeThreads, maxBodyBytes,
                allowPrivateHttp, waitMax, http);
    }

    public ServerConfig withDataDir(Path dataDir) {
        return new ServerConfig(host, port, dataDir, adminToken, workerSlots, nodeThreads, maxBodyBytes,
                allowPrivateHttp, waitMax, http);
    }

    public ServerConfig withAdminToken(String adminToken) {
        return new ServerConfig(host, port, dataDir, adminToken, workerSlots, nodeThreads, maxBodyBytes,
                allowPrivateHttp, waitMax, http);
    }

    public ServerConfig withAllowPrivateHttp(boolean allow) {
        return new ServerConfig(host, port, dataDir, adminToken, workerSlots, nodeThreads, maxBodyBytes,
                allow, waitMax, http);
    }

    public ServerConfig withMaxBodyBytes(long maxBodyBytes) {
        return new ServerConfig(host, port, dataDir, adminToken, workerSlots, nodeThreads, maxBodyBytes,
                allowPrivateHttp, waitMax, http);
    }

    /** The same, with the defences against slow and abusive clients set by {@code http}. */
    public ServerConfig withHttpLimits(HttpLimits http) {
        return new ServerConfig(host, port, dataDir, adminToken, workerSlots, nodeThreads, maxBodyBytes,
                allowPrivateHttp, waitMax, http);
    }
}
