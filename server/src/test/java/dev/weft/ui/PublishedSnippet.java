package dev.weft.ui;

import dev.weft.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A snippet of the Publish dialog run as a user runs it once saved: the key placeholder replaced by a real key, the
 * text written to the file name the dialog suggests, then {@code sh}, {@code python3}, {@code node},
 * {@code java File.java} (the JDK running the tests) or {@code go run} as a subprocess. What it prints is the
 * finished task as JSON. Go is Debian's golang-go, which .ci/run installs.
 */
record PublishedSnippet(String language, String text) {

    static final String KEY_PLACEHOLDER = "YOUR_SERVER_KEY";
    static final long LIMIT_SECONDS = 60;

    /** How each language's snippet is saved and run: the file name, then the command the file name ends. */
    static final Map<String, List<String>> RUN = Map.of(
            "curl", List.of("run-flow.sh", "sh"),
            "python", List.of("run_flow.py", "python3"),
            "javascript", List.of("run-flow.js", "node"),
            "java", List.of("RunFlow.java", ProcessHandle.current().info().command().orElse("java")),
            "go", List.of("run_flow.go", "go", "run"));

    /** Runs it with {@code key} (a server key, without "Basic ") and reads what it printed as JSON. */
    JsonNode run(String key) {
        List<String> how = RUN.get(language);
        if (how == null) throw new IllegalArgumentException("no way to run a " + language + " snippet");
        try {
            Path folder = Files.createTempDirectory("weft-snippet-" + language);
            Path file = folder.resolve(how.get(0));
            Files.writeString(file, text.replace(KEY_PLACEHOLDER, key), StandardCharsets.UTF_8);
            Path out = folder.resolve("stdout.txt");
            Path err = folder.resolve("stderr.txt");
            List<String> command = new java.util.ArrayList<>(how.subList(1, how.size()));
            command.add(how.get(0));
            Process process;
            try {
                process = new ProcessBuilder(command).directory(folder.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + command.get(0) + " for the " + language + " snippet"
                        + " (the go snippet needs Debian's golang-go: apt-get install -y golang-go; .ci/run does this)", e);
            }
            if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(language + " snippet still running after " + LIMIT_SECONDS + " s: "
                        + Files.readString(err));
            }
            String printed = Files.readString(out);
            if (process.exitValue() != 0) {
                throw new AssertionError(language + " snippet exited " + process.exitValue() + ": " + Files.readString(err)
                        + printed + "\n--- snippet ---\n" + text);
            }
            return Json.read(printed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
