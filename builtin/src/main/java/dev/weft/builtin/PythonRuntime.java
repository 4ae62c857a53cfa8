package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs Python code in the operating system's CPython, each run in a fresh sandboxed process: the python node's
 * runtime, one per Weft process.
 *
 * <p>It starts one "zygote" ({@code python/zygote.py}) under bubblewrap on first use: no network, no other
 * processes in sight, a read-only {@code /usr}, an empty {@code /tmp}, no environment, no capabilities. The zygote
 * never runs user code; it keeps a few forked children ready, and each run goes to one of them, which has already
 * set its rlimits and loaded a seccomp filter (no open, socket, exec, fork, kill, ptrace...), and exits after the
 * one run. Requests and answers are length-prefixed JSON frames on the zygote's stdin and stdout; any number of
 * runs are in flight at once, and one reader thread completes their futures, so no thread waits for a run.
 * If the zygote dies, the runs in flight fail and the next run starts a new one.
 */
public final class PythonRuntime implements AutoCloseable {

    /** The error type when the sandbox cannot run: bubblewrap or python3 missing, or user namespaces refused. */
    public static final String UNAVAILABLE = "python_unavailable";
    /** What to install on Debian or Ubuntu. */
    public static final String PACKAGES = "bubblewrap python3 python3-seccomp";
    /** How much longer than a run's own limit Weft waits for the zygote's answer before giving up on it. */
    static final long ANSWER_GRACE_MILLIS = 5_000;
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final int MAX_STDERR_CHARS = 4_000;
    private static final String ZYGOTE = readZygote();

    private final Path bwrap;
    private final Path python;
    private final AtomicLong ids = new AtomicLong();
    private final Object lock = new Object();
    private Zygote zygote;
    private boolean closed;

    /** The runtime on Debian's paths: {@code /usr/bin/bwrap} and {@code /usr/bin/python3}. Starts nothing yet. */
    public PythonRuntime() {
        this(Path.of("/usr/bin/bwrap"), Path.of("/usr/bin/python3"));
    }

    public PythonRuntime(Path bwrap, Path python) {
        this.bwrap = bwrap;
        this.python = python;
    }

    /**
     * Starts one run; the answer is the zygote's frame: {@code {"ok": true, "output": {...}, "logs": [...]}} or
     * {@code {"ok": false, "error": type, "message": m, "logs": [...]}}. Cancelling the future kills the run.
     * Fails with a {@link NodeException} of type {@link #UNAVAILABLE} when the sandbox cannot start.
     */
    public CompletableFuture<ObjectNode> run(String code, JsonNode inputs, long timeoutMillis, long memoryMb) {
        long id = ids.incrementAndGet();
        ObjectNode request = Json.object();
        request.put("op", "run").put("id", id).put("code", code).put("timeout_ms", timeoutMillis)
                .put("memory_mb", memoryMb);
        request.set("inputs", inputs);
        CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
        Zygote target;
        try {
            target = zygote();
        } catch (NodeException e) {
            answer.completeExceptionally(e);
            return answer;
        }
        target.pending.put(id, answer);
        answer.whenComplete((value, failure) -> {
            target.pending.remove(id);
            if (answer.isCancelled() || failure instanceof TimeoutException) target.kill(id);
        });
        target.ready.whenComplete((ok, failure) -> {
            if (failure instanceof NodeException) answer.completeExceptionally(failure);
            else if (failure != null) answer.completeExceptionally(new NodeException(UNAVAILABLE,
                    "the python sandbox did not start within " + START_TIMEOUT_SECONDS + " s", true));
            else if (!answer.isDone()) target.send(request);
        });
        answer.orTimeout(timeoutMillis + ANSWER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        return answer;
    }

    /** The zygote in use, started if there is none or the last one died. */
    private Zygote zygote() {
        synchronized (lock) {
            if (closed) throw new NodeException(UNAVAILABLE, "the python runtime is closed", true);
            if (zygote == null || !zygote.process.isAlive() && zygote.ready.isDone()) zygote = start();
            return zygote;
        }
    }

    private Zygote start() {
        for (Path program : List.of(bwrap, python)) {
            if (!Files.isExecutable(program)) {
                throw new NodeException(UNAVAILABLE, program + " is missing: the python node runs only in a sandbox; "
                        + "install it with `apt-get install " + PACKAGES + "`", false);
            }
        }
        try {
            Process process = new ProcessBuilder(command()).start();
            return new Zygote(process);
        } catch (IOException e) {
            throw new NodeException(UNAVAILABLE, "could not start " + bwrap + ": " + e.getMessage(), false);
        }
    }

    /** bubblewrap's arguments: every namespace unshared, nothing but /usr (read-only) and an empty /tmp. */
    List<String> command() {
        List<String> command = new ArrayList<>(List.of(bwrap.toString(), "--unshare-all", "--new-session",
                "--clearenv", "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr"));
        for (String top : List.of("/lib", "/lib64", "/bin")) {
            Path path = Path.of(top);
            try {
                if (Files.isSymbolicLink(path)) command.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), top));
                else if (Files.isDirectory(path)) command.addAll(List.of("--ro-bind", top, top));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        command.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", "/tmp",
                "--", python.toString(), "-I", "-S", "-B", "-c", ZYGOTE));
        return command;
    }

    /** Stops the zygote and with it every run in flight; later runs fail. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (zygote != null) zygote.stop();
        }
    }

    /** The process id of the running zygote (its bubblewrap), for the benchmark's memory figure; -1 if none. */
    public long pid() {
        synchronized (lock) {
            return zygote == null || !zygote.process.isAlive() ? -1 : zygote.process.pid();
        }
    }

    /** One zygote process: its pending runs, a reader thread for its answers, one for its stderr. */
    private static final class Zygote {
        final Process process;
        final OutputStream out;
        final Map<Long, CompletableFuture<ObjectNode>> pending = new ConcurrentHashMap<>();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final StringBuilder stderr = new StringBuilder();

        Zygote(Process process) {
            this.process = process;
            this.out = process.getOutputStream();
            Thread reader = new Thread(this::read, "weft-python-" + process.pid());
            reader.setDaemon(true);
            reader.start();
            Thread errors = new Thread(this::drainErrors, "weft-python-stderr-" + process.pid());
            errors.setDaemon(true);
            errors.start();
            ready.orTimeout(START_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((started, failure) -> {
                if (failure instanceof TimeoutException) process.destroyForcibly();
            });
        }

        void send(ObjectNode frame) {
            byte[] data = Json.write(frame).getBytes(StandardCharsets.UTF_8);
            try {
                synchronized (out) {
                    out.write(new byte[] {(byte) (data.length >>> 24), (byte) (data.length >>> 16),
                            (byte) (data.length >>> 8), (byte) data.length});
                    out.write(data);
                    out.flush();
                }
            } catch (IOException e) {
                fail("the python sandbox stopped taking runs (" + e.getMessage() + ")");
            }
        }

        void kill(long id) {
            if (process.isAlive() && ready.isDone() && !ready.isCompletedExceptionally()) {
                ObjectNode kill = Json.object();
                kill.put("op", "kill").put("id", id);
                send(kill);
            }
        }

        private void read() {
            try (DataInputStream in = new DataInputStream(process.getInputStream())) {
                while (true) {
                    int size = in.readInt();
                    byte[] data = new byte[size];
                    in.readFully(data);
                    ObjectNode frame = (ObjectNode) Json.read(new String(data, StandardCharsets.UTF_8));
                    if (frame.has("op") && frame.get("op").asText().equals("ready")) {
                        ready.complete(null);
                        continue;
                    }
                    CompletableFuture<ObjectNode> answer = pending.remove(frame.path("id").asLong());
                    if (answer != null) answer.complete(frame);
                }
            } catch (EOFException e) {
                fail("the python sandbox exited");
            } catch (IOException | RuntimeException e) {
                fail("the python sandbox failed: " + e);
            }
        }

        private void drainErrors() {
            try (InputStream in = process.getErrorStream()) {
                byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (stderr) {
                        stderr.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        if (stderr.length() > MAX_STDERR_CHARS) stderr.delete(0, stderr.length() - MAX_STDERR_CHARS);
                    }
                }
            } catch (IOException e) {
                // the process is gone; read() reports it
            }
        }

        private void fail(String why) {
            process.destroyForcibly();
            try {
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String detail;
            synchronized (stderr) {
                detail = stderr.toString().strip();
            }
            NodeException failure = new NodeException(UNAVAILABLE, why + (detail.isEmpty() ? "" : ": " + detail)
                    + (ready.isDone() ? "" : " (the sandbox needs `" + PACKAGES + "` and user namespaces)"), true);
            ready.completeExceptionally(failure);
            for (Long id : List.copyOf(pending.keySet())) {
                CompletableFuture<ObjectNode> answer = pending.remove(id);
                if (answer != null) answer.completeExceptionally(failure);
            }
        }

        void stop() {
            try {
                out.close();   // the zygote exits at the end of its input, killing its children
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String readZygote() {
        try (InputStream in = PythonRuntime.class.getResourceAsStream("python/zygote.py")) {
            if (in == null) throw new IllegalStateException("python/zygote.py is missing from the builtin jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
