package dev.weft.mcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The reference MCP server "everything" ({@code @modelcontextprotocol/server-everything} from the npm registry),
 * which no one here wrote, run with the machine's node on a free loopback port in Streamable HTTP mode, or named
 * as an stdio command. It is installed once into {@code server/src/test/mcp/node_modules} (npm ci, again only
 * when the lock file changes), so reruns are offline; when npm cannot install it the test fails saying so.
 */
public final class EverythingServer implements AutoCloseable {

    /** The folder holding package.json and package-lock.json that pin the server's version. */
    static final Path FOLDER = Path.of("src", "test", "mcp").toAbsolutePath();
    private static final Path STAMP = FOLDER.resolve("node_modules").resolve(".weft-lock-sha256");

    private final Process process;
    private final int port;
    /** Each MCP session the server opened ("Session initialized") and ended at a client's request, as it logs them. */
    private final LinkedBlockingQueue<String> opened = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<String> ended = new LinkedBlockingQueue<>();

    private EverythingServer(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("Session initialized with ID: ")) opened.add(line.substring(29));
                    if (line.startsWith("Received session termination request")) ended.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "everything-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** How many MCP sessions clients have opened so far. */
    int sessionsOpened() {
        return opened.size();
    }

    /** Waits (up to a failure bound) until a client has ended a session with DELETE; false when none did. */
    boolean awaitSessionEnded() throws InterruptedException {
        return ended.poll(10, TimeUnit.SECONDS) != null;
    }

    /** The node command and the arguments that start the server on stdio. */
    static List<String> stdioCommand() {
        return List.of(node(), script().toString(), "stdio");
    }

    static String node() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        throw new AssertionError("node is not on the PATH: the MCP client tests run the reference MCP server with it");
    }

    /** Starts the server in Streamable HTTP mode and waits until it says it listens. */
    public static EverythingServer startHttp() {
        installed();
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(node(), script().toString(), "streamableHttp");
        builder.environment().put("PORT", Integer.toString(port));
        try {
            Process process = builder.start();
            CompletableFuture<Void> listening = new CompletableFuture<>();
            List<String> said = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = err.readLine()) != null; ) {
                        synchronized (said) {
                            said.add(line);
                        }
                        if (line.contains("listening on port " + port)) listening.complete(null);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                listening.completeExceptionally(new AssertionError("the everything server ended: " + said));
            }, "everything-stderr");
            reader.setDaemon(true);
            reader.start();
            listening.get(30, TimeUnit.SECONDS);   // a failure bound: the line usually comes within a second
            return new EverythingServer(process, port);
        } catch (Exception e) {
            throw new AssertionError("could not start the everything MCP server: " + e, e);
        }
    }

    /** Its Streamable HTTP endpoint. */
    public String url() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path script() {
        installed();
        return FOLDER.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    }

    /** Installs the pinned server with npm ci unless the installed copy matches the lock file. */
    static synchronized void installed() {
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(FOLDER.resolve("package-lock.json"))));
            if (Files.exists(STAMP) && Files.readString(STAMP).equals(hash)) return;
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(FOLDER.toFile()).redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new AssertionError("npm could not install @modelcontextprotocol/server-everything into " + FOLDER
                        + " (is the npm registry reachable?): " + output);
            }
            Files.writeString(STAMP, hash);
        } catch (IOException e) {
            throw new UncheckedIOException("installing the everything MCP server failed (is npm installed?)", e);
        } catch (InterruptedException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
