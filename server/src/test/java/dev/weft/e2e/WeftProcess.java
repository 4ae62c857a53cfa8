package dev.weft.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Weft started as a separate JVM ({@code weft serve --port 0}), as a user starts it; killable with SIGKILL. */
final class WeftProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Weft is running at (http://\\S+)");

    private final Process process;
    private final String base;

    private WeftProcess(Process process, String base) {
        this.process = process;
        this.base = base;
    }

    static WeftProcess start(Path dataDir, String adminToken, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.weft.cli.Weft", "serve", "--port", "0", "--data", dataDir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("WEFT_ADMIN_TOKEN", adminToken);
        builder.environment().put("WEFT_HTTP_ALLOW_PRIVATE", "true");
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> base = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    System.out.println("[weft] " + line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) base.complete(m.group(1));
                }
            } catch (IOException ignored) {
                // the process was killed
            }
            base.completeExceptionally(new IllegalStateException("weft exited before it was listening"));
        }, "weft-process-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new WeftProcess(process, base.get(120, TimeUnit.SECONDS));   // generous: a loaded CI machine
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("weft did not start", e);
        }
    }

    String base() {
        return base;
    }

    /** kill -9: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) kill();
        }
    }
}
