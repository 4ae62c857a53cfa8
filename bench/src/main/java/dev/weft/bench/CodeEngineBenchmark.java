package dev.weft.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.CodeNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.mozilla.javascript.ClassShutter;
import org.mozilla.javascript.ContextFactory;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The code node's choice of JavaScript engine: GraalJS community (CONSTRAINED sandbox, interpreter on Java 17)
 * against Rhino (interpreted, safe standard objects, instruction counting), each the way the node would run a
 * step — inputs passed in as JSON text, the returned object read back as JSON text, a fresh global scope per call.
 *
 * <p>Chosen: Rhino (see docs/nodes.md, "code"). {@code codeNodeWarm} is the node as shipped, for the
 * ≤ 200 µs target of a warm call.
 *
 * <p>{@code cold}: a first call, nothing cached (engine or factory, parse, scope). {@code warm}: later calls of
 * the same code with the engine and parsed code kept, a fresh context or scope per call so that no state leaks
 * between steps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dpolyglotimpl.AttachLibraryFailureAction=ignore"})
public class CodeEngineBenchmark {

    static final String BODY = "const total = inputs.items.reduce((a, b) => a + b, 0);"
            + " return {total: total, name: inputs.name.toUpperCase(), count: inputs.items.length};";
    static final String WRAPPED = "(function (inputsJson) { const inputs = JSON.parse(inputsJson);"
            + " const result = (function (inputs) { " + BODY + " })(inputs); return JSON.stringify(result); })";
    static final String INPUTS = "{\"name\": \"ada\", \"items\": [1, 2, 3, 4, 5]}";
    static final ResourceLimits LIMITS = ResourceLimits.newBuilder().statementLimit(1_000_000, null).build();

    private Engine graal;
    private Source source;
    private ContextFactory rhino;
    private ScriptableObject shared;
    private Script script;
    private CodeNode codeNode;
    private NodeCall codeCall;

    @Setup
    public void setUp() {
        codeNode = new CodeNode();
        ObjectNode settings = Json.object().put("code", BODY);
        codeCall = new NodeCall(1, "code", settings, (ObjectNode) Json.read(INPUTS), 1, Duration.ofSeconds(10));
        graal = graalEngine();
        source = Source.create("js", WRAPPED);
        rhino = new Instructions();
        org.mozilla.javascript.Context cx = rhino.enterContext();
        try {
            shared = cx.initSafeStandardObjects(null, true);
            script = cx.compileString(WRAPPED, "code", 1, null);
        } finally {
            org.mozilla.javascript.Context.exit();
        }
    }

    @TearDown
    public void tearDown() {
        graal.close();
    }

    static Engine graalEngine() {
        return Engine.newBuilder("js").sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false").build();
    }

    static String graalCall(Engine engine, Source source) {
        try (Context context = Context.newBuilder("js").engine(engine).sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream())
                .resourceLimits(LIMITS).build()) {
            Value function = context.eval(source);
            return function.execute(INPUTS).asString();
        }
    }

    @Benchmark
    public String graalWarm() {
        return graalCall(graal, source);
    }

    @Benchmark
    public String graalCold() {
        try (Engine engine = graalEngine()) {
            return graalCall(engine, Source.newBuilder("js", WRAPPED, "code").cached(false).buildLiteral());
        }
    }

    /** Counts instructions, as the node would, to stop endless loops. */
    static final class Instructions extends ContextFactory {
        @Override
        protected org.mozilla.javascript.Context makeContext() {
            org.mozilla.javascript.Context cx = super.makeContext();
            cx.setInterpretedMode(true);
            cx.setInstructionObserverThreshold(10_000);
            cx.setClassShutter(name -> false);
            return cx;
        }

        @Override
        protected void observeInstructionCount(org.mozilla.javascript.Context cx, int instructionCount) {
            // the node checks its deadline here
        }
    }

    static String rhinoCall(ContextFactory factory, ScriptableObject shared, Script script) {
        org.mozilla.javascript.Context cx = factory.enterContext();
        try {
            Scriptable scope = cx.newObject(shared);
            scope.setPrototype(shared);
            scope.setParentScope(null);
            Function function = (Function) script.exec(cx, scope, scope);
            return (String) function.call(cx, scope, scope, new Object[] {INPUTS});
        } finally {
            org.mozilla.javascript.Context.exit();
        }
    }

    @Benchmark
    public String rhinoWarm() {
        return rhinoCall(rhino, shared, script);
    }

    /** The code node as shipped (Rhino behind its sandbox and limits), inputs and output as Jackson trees. */
    @Benchmark
    public NodeOutput codeNodeWarm() throws Exception {
        return codeNode.run(codeCall);
    }

    @Benchmark
    public String rhinoCold() {
        ContextFactory factory = new Instructions();
        org.mozilla.javascript.Context cx = factory.enterContext();
        ScriptableObject scope;
        Script compiled;
        try {
            scope = cx.initSafeStandardObjects(null, true);
            compiled = cx.compileString(WRAPPED, "code", 1, null);
        } finally {
            org.mozilla.javascript.Context.exit();
        }
        return rhinoCall(factory, scope, compiled);
    }
}
