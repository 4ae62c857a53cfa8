package dev.weft.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Weft process of a cluster, started as a user starts it ({@code weft serve --db-url ... --role ...}) in its
 * own JVM on a free port; stopped with SIGTERM ({@link #terminate}) or SIGKILL ({@link #kill}).
 */
final class ClusterProcess implements AutoCloseable {

    static final String ADMIN = "cluster-admin";
    private static final Pattern LISTENING = Pattern.compile("Weft is running at (http://\\S+)");

    private final String name;
    private final Process process;
    private final String base;

    private ClusterProcess(String name, Process process, String base) {
        this.name = name;
        this.process = process;
        this.base = base;
    }

    /** Starts {@code weft serve} with {@code role} on the PostgreSQL at {@code dbUrl}; waits until it listens. */
    static ClusterProcess start(String name, String dbUrl, String role, Map<String, String> env) throws IOException {
        Path data = Files.createTempDirectory("weft-" + name);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "dev.weft.cli.Weft", "serve", "--port", "0", "--data", data.toString(),
                "--db-url", dbUrl, "--role", role));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("WEFT_ADMIN_TOKEN", ADMIN);
        builder.environment().put("WEFT_HTTP_ALLOW_PRIVATE", "true");
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> base = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    System.out.println("[" + name + "] " + line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) base.complete(m.group(1));
                }
            } catch (IOException ignored) {
                // the process was killed
            }
            base.completeExceptionally(new IllegalStateException(name + " exited before it was listening"));
        }, "weft-" + name + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ClusterProcess(name, process, base.get(90, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not start", e);
        }
    }

    String base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    /** kill -9: no shutdown hook runs, no lease is given back. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the graceful stop; true when the process exited within {@code limit}. */
    boolean terminate(Duration limit) throws InterruptedException {
        process.destroy();
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive() && !terminate(Duration.ofSeconds(20))) kill();
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
