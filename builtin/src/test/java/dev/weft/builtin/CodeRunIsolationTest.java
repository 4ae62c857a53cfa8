package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One code run cannot change what a later run sees, whatever route it takes to the standard objects. Each row is
 * one route: the same code runs twice on the same thread (so through the same compiled-script cache), the first
 * time with {@code inputs.mutate} set, which applies the mutation before the probe; the second run's probe must
 * give the pristine answer.
 */
class CodeRunIsolationTest {

    private final CodeNode node = new CodeNode();

    /** A route: code run once before the mutation ({@code setup}), the mutation, and a probe expression. */
    record Route(String name, String setup, String mutation, String probe, String pristine) {
        Route(String name, String mutation, String probe, String pristine) {
            this(name, "", mutation, probe, pristine);
        }

        String body() {
            return setup + "\nif (inputs.mutate) {\n" + mutation + "\n}\nreturn {probe: " + probe + "};";
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Route> routes() {
        return Stream.of(
                new Route("defineProperty on Object.prototype",
                        "Object.defineProperty(Object.prototype, 'polluted', {value: 'yes', writable: true});",
                        "String(({}).polluted)", "'undefined'"),
                new Route("defineProperty replacing Array.prototype.reduce",
                        "Object.defineProperty(Array.prototype, 'reduce', {value: function () { return 'evil'; }});",
                        "[1, 2, 3].reduce((a, b) => a + b, 0)", "6"),
                new Route("defineProperty replacing JSON.parse",
                        "Object.defineProperty(JSON, 'parse', {value: function () { return {evil: true}; }});",
                        "JSON.parse('{\"a\": 1}')", "{'a': 1}"),
                new Route("defineProperty replacing Math.max",
                        "Object.defineProperty(Math, 'max', {value: function () { return -1; }});",
                        "Math.max(1, 2)", "2"),
                new Route("defineProperty on the global object",
                        "Object.defineProperty(globalThis, 'leaked', {value: 'yes', writable: true});",
                        "typeof leaked", "'undefined'"),
                new Route("Object.setPrototypeOf on Array.prototype",
                        "Object.setPrototypeOf(Array.prototype, {evil: 'yes'});",
                        "String([].evil)", "'undefined'"),
                new Route("__proto__ assignment on Number.prototype",
                        "Number.prototype.__proto__ = {evil: 'yes'};",
                        "String((1).evil)", "'undefined'"),
                new Route("Object.assign onto Math",
                        "Object.assign(Math, {max: function () { return -1; }});",
                        "Math.max(1, 2)", "2"),
                new Route("Object.assign onto String.prototype",
                        "Object.assign(String.prototype, {trim: function () { return 'evil'; }});",
                        "' a '.trim()", "'a'"),
                new Route("__defineGetter__ on Object.prototype",
                        "Object.prototype.__defineGetter__('secret', function () { return 'evil'; });",
                        "String(({}).secret)", "'undefined'"),
                new Route("accessor on Object.prototype recording other callers' data",
                        "var seen = []; Object.defineProperty(Object.prototype, 'password',"
                                + " {set: function (v) { seen.push(v); }, configurable: true});",
                        "(function () { var o = {}; o.password = 'p'; return Object.keys(o).join(); })()",
                        "'password'"),
                new Route("Symbol.iterator hook on Array.prototype",
                        "Object.defineProperty(Array.prototype, Symbol.iterator, {value: function () { var done = false;"
                                + " return {next: function () { var d = done; done = true;"
                                + " return {value: 'evil', done: d}; }}; }});",
                        "[...[1, 2]]", "[1, 2]"),
                new Route("Symbol.toPrimitive hook on Object.prototype",
                        "Object.defineProperty(Object.prototype, Symbol.toPrimitive,"
                                + " {value: function () { return 'evil'; }});",
                        "'' + {}", "'[object Object]'"),
                // Rhino's instanceof does not call the hook; the row checks that the hook itself does not persist.
                new Route("Symbol.hasInstance hook on Array",
                        "Object.defineProperty(Array, Symbol.hasInstance, {value: function () { return true; }});",
                        "Array[Symbol.hasInstance] === Function.prototype[Symbol.hasInstance]", "true"),
                new Route("toJSON hook on Object.prototype",
                        "Object.defineProperty(Object.prototype, 'toJSON', {value: function () { return 'evil'; }});",
                        "JSON.stringify({a: 1}).length", "7"),
                new Route("RegExp statics ($1, lastMatch) left by a match",
                        "/(s\\w+)/.exec('a secret-token');",
                        "[String(RegExp.$1), String(RegExp.lastMatch)]", "['', '']"),
                new Route("lastIndex of a regular expression literal in the same code",
                        "var shared = /a/g;", "shared.exec('aaa'); shared.exec('aaa');",
                        "shared.lastIndex", "0"),
                new Route("a tagged template's strings object in the same code",
                        "function tag(strings) { return strings; }",
                        "Object.defineProperty(Array.prototype, 'evil', {value: 'yes'});",
                        "String(tag`x`.evil)", "'undefined'"),
                new Route("Error.prepareStackTrace hook",
                        "Error.prepareStackTrace = function () { return 'evil'; };",
                        "typeof Error.prepareStackTrace + ' ' + (function () { try { throw new Error('m'); }"
                                + " catch (e) { return String(e.stack).indexOf('evil'); } })()", "'undefined -1'"),
                new Route("Error.captureStackTrace replaced",
                        "Object.defineProperty(Error, 'captureStackTrace',"
                                + " {value: function (o) { o.stack = 'evil'; }});",
                        "(function () { var o = {}; Error.captureStackTrace(o); return String(o.stack); })()"
                                + ".indexOf('evil')", "-1"),
                new Route("Error.prototype.toString replaced",
                        "Object.defineProperty(Error.prototype, 'toString', {value: function () { return 'evil'; }});",
                        "String(new TypeError('m'))", "'TypeError: m'"),
                new Route("Function.prototype.call replaced",
                        "Object.defineProperty(Function.prototype, 'call', {value: function () { return -1; }});",
                        "Math.max.call(null, 1, 2)", "2"),
                new Route("Function.prototype.apply replaced",
                        "Object.defineProperty(Function.prototype, 'apply', {value: function () { return -1; }});",
                        "Math.max.apply(null, [1, 2])", "2"),
                new Route("Function.prototype.bind replaced",
                        "Object.defineProperty(Function.prototype, 'bind',"
                                + " {value: function () { return function () { return -1; }; }});",
                        "Math.max.bind(null, 1)(2)", "2"),
                new Route("defineProperty replacing String.prototype.toUpperCase",
                        "Object.defineProperty(String.prototype, 'toUpperCase', {value: function () { return 'evil'; }});",
                        "'a'.toUpperCase()", "'A'"),
                new Route("an undeclared global assigned",
                        "leakedGlobal = 'yes';", "typeof leakedGlobal", "'undefined'"),
                new Route("this.x assigned at the top of the code",
                        "this.leakedThis = 'yes';", "typeof leakedThis", "'undefined'"),
                new Route("globalThis.x assigned",
                        "globalThis.leakedGlobalThis = 'yes';", "typeof leakedGlobalThis", "'undefined'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void a_mutation_in_one_run_is_not_seen_by_the_next_run(Route route) throws Exception {
        JsonNode pristine = json("{'probe': " + route.pristine() + "}").get("probe");

        JsonNode mutated = probe(route, true);
        JsonNode next = probe(route, false);

        assertThat(mutated).as("the mutation takes effect inside its own run").isNotEqualTo(pristine);
        assertThat(next).as("what the next run sees").isEqualTo(pristine);
    }

    private JsonNode probe(Route route, boolean mutate) throws InterruptedException {
        ObjectNode settings = Json.object().put("code", route.body());
        ObjectNode inputs = Json.object().put("mutate", mutate);
        return node.run(call(settings, inputs)).data().get("probe");
    }
}
