package dev.weft.nodes;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.NativeJSON;
import org.mozilla.javascript.NativeObject;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/**
 * Runs a piece of JavaScript (Rhino, interpreted) with nothing of the host in reach and bounded work.
 *
 * <p>Reach: the global scope holds only the ECMAScript standard objects ({@code initSafeStandardObjects}: no
 * {@code java}, {@code Packages}, {@code load}, {@code readFile}, {@code spawn} or {@code sync}), sealed so that
 * one run cannot change what the next sees, plus a per-run {@code console}; a class shutter refuses every Java
 * class. Values cross as JSON text, so no Java object is ever handed to the script.
 *
 * <p>Limits, checked every {@value #CHECK_EVERY} interpreted instructions and inside the few built-ins that could
 * otherwise build something huge in one call: the thread's CPU time, the bytes the thread allocated (garbage
 * included: the JVM cannot tell one script's live memory), nested calls, and the thread's interrupt flag (a step
 * timeout or a cancelled task).
 */
final class JsSandbox {

    static final int CHECK_EVERY = 10_000;
    /** The longest array or string the guarded built-ins build. */
    static final int MAX_LENGTH = 10_000_000;
    static final int MAX_LOG_LINES = 200;
    static final int MAX_LOG_LINE_CHARS = 2_000;

    /** Built-ins that can make a huge value in one call, where no instruction is counted: capped by length. */
    private static final String HARDENING = """
            (function (max) {
              function cap(n, what) {
                if (n > max) throw new RangeError(what + " of " + n + " is over the sandbox's limit of " + max);
              }
              var OriginalArray = Array;
              var repeat = String.prototype.repeat, padStart = String.prototype.padStart, padEnd = String.prototype.padEnd;
              var fill = Array.prototype.fill, from = Array.from, join = Array.prototype.join;
              String.prototype.repeat = function (n) { cap(String(this).length * n, "a string"); return repeat.call(this, n); };
              String.prototype.padStart = function (n, s) { cap(n, "a string"); return padStart.call(this, n, s); };
              String.prototype.padEnd = function (n, s) { cap(n, "a string"); return padEnd.call(this, n, s); };
              Array.prototype.fill = function () { cap(this.length, "an array"); return fill.apply(this, arguments); };
              Array.prototype.join = function () { cap(this.length, "an array"); return join.apply(this, arguments); };
              Array.from = function (items) { if (items != null) cap(items.length, "an array"); return from.apply(this, arguments); };
            })
            """;

    /** What went wrong when a run was stopped. */
    enum Limit { TIME, MEMORY, INTERRUPTED }

    /** A run stopped by a limit; a java.lang.Error so that the script's own try/catch cannot swallow it. */
    static final class Stopped extends Error {
        final Limit limit;

        Stopped(Limit limit) {
            super(limit.name(), null, false, false);
            this.limit = limit;
        }
    }

    /** A run's answer: the returned value as JSON text (null for undefined), and the console lines. */
    record Result(String json, List<String> logs) {}

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Factory factory;
    private final ScriptableObject shared;
    private final ThreadLocal<Map<String, Script>> compiled;

    JsSandbox(int maxDepth, int scriptsPerThread) {
        this.factory = new Factory(maxDepth);
        Context cx = factory.enterContext();
        try {
            shared = cx.initSafeStandardObjects(null, false);
            Function harden = (Function) cx.evaluateString(shared, HARDENING, "sandbox", 1, null);
            harden.call(cx, shared, shared, new Object[] {MAX_LENGTH});
            ScriptableObject.putProperty(shared, "console", console(cx, shared));
            sealAll(shared, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        } finally {
            Context.exit();
        }
        this.compiled = ThreadLocal.withInitial(() -> new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Script> eldest) {
                return size() > scriptsPerThread;
            }
        });
    }

    /**
     * Seals the global object, every standard object and constructor, and their prototypes and methods: a run
     * cannot change {@code String.prototype} or {@code JSON} for the runs after it.
     */
    private static void sealAll(Object value, java.util.Set<Object> seen) {
        if (!(value instanceof ScriptableObject object) || !seen.add(object)) return;
        for (Object id : object.getAllIds()) {
            Object child;
            try {
                child = id instanceof String name ? object.get(name, object) : object.get((Integer) id, object);
            } catch (RuntimeException e) {
                continue;   // an accessor that only works on instances (ArrayBuffer.prototype.byteLength)
            }
            sealAll(child, seen);
        }
        sealAll(object.getPrototype(), seen);
        object.sealObject();
    }

    /** Compiles {@code body} as a function body; throws Rhino's EvaluatorException for a syntax error. */
    Script compile(String body) {
        Map<String, Script> cache = compiled.get();
        Script script = cache.get(body);
        if (script == null) {
            Context cx = factory.enterContext();
            try {
                // The wrapper is line 0, so line numbers in messages are the body's own.
                script = cx.compileString("(function (inputsJson) { var inputs = JSON.parse(inputsJson);"
                        + " var result = (function (inputs) {\n" + body + "\n})(inputs);"
                        + " return result === undefined ? undefined : JSON.stringify(result); })", "code", 0, null);
            } finally {
                Context.exit();
            }
            cache.put(body, script);
        }
        return script;
    }

    /**
     * Runs {@code body} with {@code inputsJson} as {@code inputs}. Throws {@link Stopped} at a limit, Rhino's
     * exceptions for what the script threw, {@link OutOfMemoryError} or {@link StackOverflowError} from built-ins.
     */
    Result run(String body, String inputsJson, long cpuNanos, long allocationBytes) {
        Script script = compile(body);
        Budgeted cx = (Budgeted) factory.enterContext();
        try {
            cx.start(cpuNanos, allocationBytes);
            Scriptable scope = cx.newObject(shared);
            scope.setPrototype(shared);
            scope.setParentScope(null);
            List<String> logs = cx.logs;
            Function function = (Function) script.exec(cx, scope, scope);
            Object json = function.call(cx, scope, scope, new Object[] {inputsJson});
            return new Result(json instanceof CharSequence text ? text.toString() : null, logs);
        } finally {
            Context.exit();
        }
    }

    /** One console for every run, sealed with the rest; each call writes to the running context's lines. */
    private static Scriptable console(Context cx, Scriptable scope) {
        NativeObject console = (NativeObject) cx.newObject(scope);
        for (String level : List.of("log", "info", "warn", "error", "debug")) {
            String prefix = level.equals("log") || level.equals("info") ? "" : level + ": ";
            console.put(level, console, new LambdaFunction(scope, level, 0, (c, s, self, args) -> {
                List<String> logs = ((Budgeted) c).logs;
                if (logs.size() < MAX_LOG_LINES) logs.add(prefix + line(c, s, args));
                else if (logs.size() == MAX_LOG_LINES) logs.add("(more lines dropped)");
                return Undefined.instance;
            }));
        }
        return console;
    }

    private static String line(Context cx, Scriptable scope, Object[] args) {
        StringBuilder line = new StringBuilder();
        for (Object arg : args) {
            if (line.length() > 0) line.append(' ');
            if (arg instanceof Scriptable && !(arg instanceof Function)) {
                Object json = NativeJSON.stringify(cx, scope, arg, null, null);
                line.append(json instanceof CharSequence ? json : Context.toString(arg));
            } else {
                line.append(Context.toString(arg));
            }
            if (line.length() > MAX_LOG_LINE_CHARS) return line.substring(0, MAX_LOG_LINE_CHARS) + "...";
        }
        return line.toString();
    }

    /**
     * A context that knows its run's limits and keeps its console lines. Reading a thread's CPU time is a system
     * call that costs more than a small script, so it is read only from the first check on (after
     * {@value #CHECK_EVERY} instructions), the time before counted as if it were all CPU, and compared only once
     * the wall time passed the limit: a thread's CPU time never runs ahead of the clock.
     */
    private static final class Budgeted extends Context {
        final List<String> logs = new ArrayList<>();
        private long cpuBudget;
        private long allocationLimit;
        private long wallStart;
        private long cpuAtFirstCheck = -1;
        private long wallAtFirstCheck;

        Budgeted(ContextFactory factory) {
            super(factory);
        }

        void start(long cpuNanos, long allocationBytes) {
            cpuBudget = cpuNanos;
            allocationLimit = THREADS.getCurrentThreadAllocatedBytes() + allocationBytes;
            wallStart = System.nanoTime();
        }

        void check() {
            if (Thread.currentThread().isInterrupted()) throw new Stopped(Limit.INTERRUPTED);
            if (THREADS.getCurrentThreadAllocatedBytes() > allocationLimit) throw new Stopped(Limit.MEMORY);
            long wall = System.nanoTime() - wallStart;
            if (cpuAtFirstCheck < 0) {
                cpuAtFirstCheck = THREADS.getCurrentThreadCpuTime();
                wallAtFirstCheck = wall;
            } else if (wall > cpuBudget
                    && THREADS.getCurrentThreadCpuTime() - cpuAtFirstCheck + wallAtFirstCheck > cpuBudget) {
                throw new Stopped(Limit.TIME);
            }
        }
    }

    private static final class Factory extends ContextFactory {
        private final int maxDepth;

        Factory(int maxDepth) {
            this.maxDepth = maxDepth;
        }

        @Override
        protected Context makeContext() {
            Budgeted cx = new Budgeted(this);
            cx.setLanguageVersion(Context.VERSION_ECMASCRIPT);
            cx.setInterpretedMode(true);   // instruction counting works only in the interpreter
            cx.setInstructionObserverThreshold(CHECK_EVERY);
            cx.setMaximumInterpreterStackDepth(maxDepth);
            cx.setClassShutter(name -> false);
            cx.setGeneratingDebug(false);
            return cx;
        }

        @Override
        protected void observeInstructionCount(Context cx, int instructionCount) {
            ((Budgeted) cx).check();
        }
    }
}
