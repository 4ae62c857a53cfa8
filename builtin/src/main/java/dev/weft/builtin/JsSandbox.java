package dev.weft.builtin;

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
 * <p>Reach: each run gets its own global scope with its own ECMAScript standard objects
 * ({@code initSafeStandardObjects}: no {@code java}, {@code Packages}, {@code load}, {@code readFile},
 * {@code spawn} or {@code sync}), without Rhino's non-standard names ({@link #NON_STANDARD_GLOBALS}, the static
 * generics outside {@link #STANDARD_STATICS}), plus its own {@code console}; a class shutter refuses every Java class. Values
 * cross as JSON text, so no Java object is ever handed to the script. Isolation is by construction: nothing a run
 * can reach is reachable from another run, so a run may change its standard objects as it likes
 * ({@code Object.defineProperty} included) and only itself sees the change. The one thing runs share is the
 * compiled script of the same code on the same thread, which Rhino keeps free of run state except a tagged
 * template's strings object (its prototype is the first run's {@code Array.prototype}): code with a tagged
 * template is compiled afresh for each run.
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
    /** Globals Rhino defines that are not ECMAScript's: removed from every run's scope. */
    static final List<String> NON_STANDARD_GLOBALS = List.of("Call", "CallSite", "Continuation", "InternalError",
            "Iterator", "JavaException", "Script", "StopIteration", "With", "global", "isXMLName", "uneval");
    /**
     * Rhino's static generics ({@code Array.join(list)}, {@code String.charAt(text, i)}): not ECMAScript, and
     * {@code Array.join} would build a string past the length cap. Every own property of {@code Array} and
     * {@code String} other than these standard ones (and Rhino's function {@code arity}/{@code arguments}) is removed.
     */
    static final java.util.Set<String> STANDARD_STATICS = java.util.Set.of("length", "name", "arity", "arguments",
            "prototype", "of", "from", "isArray", "fromCharCode", "fromCodePoint", "raw");

    /**
     * Built-ins that can make a huge value in one call, where no instruction is counted: capped by length. The
     * originals and the helpers are taken before the run's code starts and called through the captured
     * {@code Reflect.apply}, so that a run which replaces {@code Function.prototype.call} or {@code String} cannot
     * get hold of an uncapped original or fool the cap; an argument is converted once, before the check.
     */
    private static final String HARDENING = """
            (function (max) {
              var apply = Reflect.apply, toText = String, RangeErr = RangeError;
              function cap(n, what) {
                if (n > max) throw new RangeErr(what + " of " + n + " is over the sandbox's limit of " + max);
              }
              var repeat = String.prototype.repeat, padStart = String.prototype.padStart, padEnd = String.prototype.padEnd;
              var fill = Array.prototype.fill, from = Array.from, join = Array.prototype.join;
              String.prototype.repeat = function (n) {
                var s = this == null ? this : toText(this);
                n = +n;
                if (s != null) cap(s.length * n, "a string");
                return apply(repeat, s, [n]);
              };
              String.prototype.padStart = function (n, f) { n = +n; cap(n, "a string"); return apply(padStart, this, [n, f]); };
              String.prototype.padEnd = function (n, f) { n = +n; cap(n, "a string"); return apply(padEnd, this, [n, f]); };
              Array.prototype.fill = function () { cap(this.length, "an array"); return apply(fill, this, arguments); };
              Array.prototype.join = function () { cap(this.length, "an array"); return apply(join, this, arguments); };
              Array.from = function (items) { if (items != null) cap(items.length, "an array"); return apply(from, this, arguments); };
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
    private final Script hardening;
    private final ThreadLocal<Map<String, Script>> compiled;

    JsSandbox(int maxDepth, int scriptsPerThread) {
        this.factory = new Factory(maxDepth);
        Context cx = factory.enterContext();
        try {
            hardening = cx.compileString(HARDENING, "sandbox", 1, null);
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
     * A fresh global scope: its own standard objects, hardened, without Rhino's non-standard names, with a
     * console writing to {@code cx}'s lines. Rhino makes the common constructors here and the rarer ones (typed
     * arrays, {@code Proxy}...) on first use: about 50 µs and 150 kB per run (docs/benchmarks.md).
     */
    private ScriptableObject globals(Context cx) {
        ScriptableObject scope = cx.initSafeStandardObjects(null, false);
        for (String name : NON_STANDARD_GLOBALS) scope.delete(name);
        for (String constructor : List.of("Array", "String")) {
            ScriptableObject statics = (ScriptableObject) scope.get(constructor, scope);
            for (Object id : statics.getAllIds()) {
                if (id instanceof String name && !STANDARD_STATICS.contains(name)) statics.delete(name);
            }
        }
        // V8's hook, which Rhino honours through its own CallSite global: both are gone, the property is plain.
        ((ScriptableObject) scope.get("Error", scope)).delete("prepareStackTrace");
        Function harden = (Function) hardening.exec(cx, scope, scope);
        harden.call(cx, scope, scope, new Object[] {MAX_LENGTH});
        ScriptableObject.defineProperty(scope, "console", console(cx, scope), ScriptableObject.DONTENUM);
        return scope;
    }

    /** Compiles {@code body} as a function body; throws Rhino's EvaluatorException for a syntax error. */
    Script compile(String body) {
        Map<String, Script> cache = compiled.get();
        Script script = cache.get(body);
        if (script == null) {
            Context cx = factory.enterContext();
            try {
                // The wrapper is line 0, so line numbers in messages are the body's own.
                String source = "(function (inputs) {\n" + body + "\n})";
                script = cx.compileString(source, "code", 0, null);
                if (!TaggedTemplates.in(cx, source)) cache.put(body, script);
            } finally {
                Context.exit();
            }
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
            ScriptableObject scope = globals(cx);
            cx.start(cpuNanos, allocationBytes);
            Function function = (Function) script.exec(cx, scope, scope);
            // The scope is fresh and no code of the run has run yet: its JSON.parse is the original.
            Scriptable json = (Scriptable) scope.get("JSON", scope);
            Object inputs = ScriptableObject.callMethod(cx, json, "parse", new Object[] {inputsJson});
            Object result = function.call(cx, scope, scope, new Object[] {inputs});
            // The JSON taken from Rhino directly: the run may have replaced its own JSON.stringify.
            Object text = result == Undefined.instance ? null : NativeJSON.stringify(cx, scope, result, null, null);
            return new Result(text instanceof CharSequence chars ? chars.toString() : null, cx.logs);
        } finally {
            Context.exit();
        }
    }

    /** The run's console: each call writes to the running context's lines. */
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
