package dev.weft.builtin;

import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.PythonNodeTest.failure;
import static dev.weft.builtin.PythonNodeTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.NodeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Escapes from the python node's sandbox, each tried for real: the Python-level restrictions are walked around
 * (subclasses, the built-in importer, a function's globals) to reach the OS, which must refuse; limits end runs
 * that the code tries to outlast; and after each attack a plain run still answers.
 */
class PythonSandboxTest {

    static final PythonRuntime RUNTIME = new PythonRuntime();
    private final PythonNode node = new PythonNode(RUNTIME);

    /** The posix module, reached without import: the built-in importer found by walking object's subclasses. */
    static final String POSIX = """
            importer = [c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'BuiltinImporter'][0]
            posix = importer.load_module('posix')
            """;

    /** Runs {@code attempt} (an expression) and returns how it ended: "ok: value" or the exception's class. */
    static final String TRY = """
            def attempt(f):
                try:
                    return 'ok: ' + repr(f())
                except BaseException as e:
                    return type(e).__name__
            """;

    @AfterAll
    static void close() {
        RUNTIME.close();
    }

    @AfterEach
    void the_sandbox_still_answers() throws Exception {
        assertThat(run(node, "return {'n': inputs['n'] + 1}", "{'n': 41}").data()).isEqualTo(json("{'n': 42, 'logs': []}"));
    }

    private ObjectNode outcomes(String code) throws Exception {
        ObjectNode data = run(node, TRY + POSIX + code, "{}").data();
        data.remove("logs");
        return data;
    }

    @Test
    void files_cannot_be_opened_by_any_route() throws Exception {
        assertThat(failure(node, "return {'p': open('/etc/hostname').read()}", "").getMessage())
                .isEqualTo("NameError: name 'open' is not defined (line 1)");
        ObjectNode outcomes = outcomes("""
                fileio = [c for c in object.__subclasses__() if c.__name__ == '_IOBase'][0]
                io = [c for c in fileio.__subclasses__() if c.__name__ == '_RawIOBase'][0]
                FileIO = [c for c in io.__subclasses__() if c.__name__ == 'FileIO'][0]
                wrap = [c for c in object.__subclasses__() if c.__name__ == '_wrap_close'][0]
                os = wrap.__init__.__globals__['sys'].modules['os']
                return {
                  'fileio': attempt(lambda: FileIO('/usr/lib/os-release').read()),
                  'os_open': attempt(lambda: os.open('/usr/lib/os-release', 0)),
                  'posix_open': attempt(lambda: posix.open('/usr/lib/os-release', 0)),
                  'listdir': attempt(lambda: posix.listdir('/')),
                  'write': attempt(lambda: posix.open('/tmp/x', posix.O_WRONLY | posix.O_CREAT)),
                  'mkdir': attempt(lambda: posix.mkdir('/tmp/d')),
                  'real_builtins_open': attempt(lambda: wrap.__init__.__globals__['__builtins__']['open']('/usr/lib/os-release')),
                }""");

        assertThat(outcomes).isEqualTo(json("""
                {'fileio': 'PermissionError', 'os_open': 'PermissionError', 'posix_open': 'PermissionError',
                 'listdir': 'PermissionError', 'write': 'PermissionError', 'mkdir': 'PermissionError',
                 'real_builtins_open': 'PermissionError'}"""));
    }

    @Test
    void no_socket_can_be_made_and_no_network_is_in_reach() throws Exception {
        ObjectNode outcomes = outcomes("""
                _socket = importer.load_module('_socket')
                return {
                  'tcp': attempt(lambda: _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)),
                  'unix': attempt(lambda: _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)),
                  'pair': attempt(lambda: _socket.socketpair()),
                  'resolve': attempt(lambda: _socket.getaddrinfo('example.com', 80)),
                }""");

        assertThat(outcomes.get("tcp").asText()).isEqualTo("PermissionError");
        assertThat(outcomes.get("unix").asText()).isEqualTo("PermissionError");
        assertThat(outcomes.get("pair").asText()).isEqualTo("PermissionError");
        assertThat(outcomes.get("resolve").asText()).isNotEqualTo("ok");
        assertThat(outcomes.get("resolve").asText()).doesNotStartWith("ok:");
    }

    @Test
    void no_process_can_be_started_or_signalled() throws Exception {
        ObjectNode outcomes = outcomes("""
                _posixsubprocess = importer.load_module('_posixsubprocess')
                r, w = posix.pipe()
                return {
                  'system': attempt(lambda: posix.system('touch /tmp/x')),
                  'fork': attempt(lambda: posix.fork()),
                  'execv': attempt(lambda: posix.execv('/usr/bin/python3', ['python3', '-c', '1'])),
                  'spawn': attempt(lambda: posix.posix_spawn('/usr/bin/true', ['true'], {})),
                  'kill_parent': attempt(lambda: posix.kill(posix.getppid(), 9)),
                  'kill_all': attempt(lambda: posix.kill(-1, 9)),
                  'fork_exec': attempt(lambda: _posixsubprocess.fork_exec(['/usr/bin/true'], [b'/usr/bin/true'],
                      True, (w,), None, None, -1, -1, -1, -1, -1, -1, r, w, False, False, -1, None, None, None,
                      -1, None, False)),
                  'environment': sorted(k.decode() for k in posix.environ),   # only what bwrap and Python set
                }""");

        assertThat(outcomes).isEqualTo(json("""
                {'system': 'ok: 32512', 'fork': 'PermissionError', 'execv': 'PermissionError', 'spawn': 'PermissionError',
                 'kill_parent': 'PermissionError', 'kill_all': 'PermissionError', 'fork_exec': 'PermissionError',
                 'environment': ['LC_CTYPE', 'PWD']}"""));
    }

    @Test
    void threads_cannot_be_started() throws Exception {
        ObjectNode outcomes = outcomes("""
                _thread = importer.load_module('_thread')
                return {'thread': attempt(lambda: _thread.start_new_thread(print, ('x',)))}""");

        assertThat(outcomes).isEqualTo(json("{'thread': 'RuntimeError'}"));
    }

    @Test
    void ctypes_cannot_be_loaded() throws Exception {
        ObjectNode outcomes = outcomes("""
                imp = importer.load_module('_imp')
                class Spec:
                    name = '_ctypes'
                    origin = '/usr/lib/python3.11/lib-dynload/_ctypes.cpython-311-x86_64-linux-gnu.so'
                return {
                  'import': attempt(lambda: __import__('ctypes')),
                  'builtin': attempt(lambda: importer.load_module('_ctypes')),
                  'dynamic': attempt(lambda: imp.create_dynamic(Spec())),
                }""");

        assertThat(outcomes).isEqualTo(json("{'import': 'ImportError', 'builtin': 'ImportError', 'dynamic': 'ImportError'}"));
    }

    @Test
    void the_real_import_reached_through_a_functions_globals_still_meets_the_os() throws Exception {
        ObjectNode outcomes = outcomes("""
                wrap = [c for c in object.__subclasses__() if c.__name__ == '_wrap_close'][0]
                real_import = wrap.__init__.__globals__['__builtins__']['__import__']
                os = real_import('os')
                return {
                  'system': attempt(lambda: os.system('id')),
                  'popen': attempt(lambda: os.popen('id').read()),
                  'subprocess': attempt(lambda: real_import('subprocess')),
                  'urandom': len(os.urandom(4)),
                }""");

        assertThat(outcomes.get("system").asText()).isEqualTo("ok: 32512");   // 127 << 8: the shell never started
        assertThat(outcomes.get("popen").asText()).doesNotStartWith("ok: 'uid");
        assertThat(outcomes.get("subprocess").asText()).isIn("ImportError", "ModuleNotFoundError", "PermissionError");
        assertThat(outcomes.get("urandom").asInt()).isEqualTo(4);
    }

    @Test
    void an_endless_loop_is_ended_at_the_time_limit_even_when_it_catches_everything() throws Exception {
        NodeException e = failure(node, """
                while True:
                    try:
                        while True:
                            pass
                    except BaseException:
                        pass""", "'timeout_ms': 300");

        assertThat(e.type()).isEqualTo("python_time_limit");
        assertThat(e.getMessage()).isEqualTo("the code ran longer than 300 ms (timeout_ms)");
    }

    @Test
    void a_memory_bomb_is_stopped_at_the_memory_limit() throws Exception {
        // A generous time limit: on a busy VM each new page costs tens of µs, and the bomb must reach 32 MB first.
        NodeException e = failure(node, "a = []\nwhile True:\n    a.append(bytearray(1_000_000))",
                "'memory_mb': 32, 'timeout_ms': 10000");

        assertThat(e.type()).isEqualTo("python_memory_limit");
        assertThat(e.getMessage()).isEqualTo("the code allocated more than 32 MB (memory_mb)");
        assertThat(failure(node, "return {'n': len(bytearray(100_000_000))}", "'memory_mb': 32").type())
                .isEqualTo("python_memory_limit");
    }

    @Test
    void a_memory_bomb_that_catches_the_memory_error_stays_under_the_limit_until_the_time_limit() throws Exception {
        NodeException e = failure(node, """
                a = []
                while True:
                    try:
                        a.append(bytearray(1_000_000))
                    except MemoryError:
                        pass""", "'memory_mb': 32, 'timeout_ms': 300");

        assertThat(e.type()).isEqualTo("python_time_limit");
    }

    @Test
    void deep_recursion_fails_with_a_recursion_error_and_a_raised_limit_only_crashes_its_own_run() throws Exception {
        assertThat(failure(node, "def f(n):\n    return f(n + 1)\nreturn {'n': f(0)}", "").getMessage())
                .isEqualTo("RecursionError: maximum recursion depth exceeded (line 2)");
        NodeException crash = failure(node, TRY + POSIX + """
                sys = importer.load_module('sys')
                sys.setrecursionlimit(10 ** 9)
                def f(n):
                    return f(n + 1)
                return {'n': f(0)}""", "'timeout_ms': 2000, 'memory_mb': 16");
        // Python 3.11 keeps Python frames off the C stack: the frames fill memory, or the time runs out first.
        assertThat(crash.type()).isIn("python_error", "python_memory_limit", "python_time_limit");
    }

    @Test
    void a_fork_bomb_forks_nothing() throws Exception {
        ObjectNode outcomes = outcomes("""
                forked = 0
                for _ in range(1000):
                    try:
                        if posix.fork() == 0:
                            while True:
                                pass
                        forked += 1
                    except PermissionError:
                        pass
                return {'forked': forked}""");

        assertThat(outcomes).isEqualTo(json("{'forked': 0}"));
    }

    @Test
    void nothing_one_run_sets_is_seen_by_the_next() throws Exception {
        String set = """
                import json
                json.leak = 'secret'
                __builtins__['leak'] = 'secret'
                __builtins__['len'] = lambda x: -1
                """ + POSIX + """
                sys = importer.load_module('sys')
                sys.modules['json'].dumps = lambda *a, **k: 'hijacked'
                sys.leak = 'secret'
                return {}""";
        String read = """
                import json
                """ + POSIX + """
                sys = importer.load_module('sys')
                return {'json': getattr(json, 'leak', None), 'builtins': 'leak' in __builtins__, 'len': len('ab'),
                        'dumps': json.dumps([1]), 'sys': getattr(sys, 'leak', None)}""";

        run(node, set, "{}");
        assertThat(run(node, read, "{}").data())
                .isEqualTo(json("{'json': null, 'builtins': false, 'len': 2, 'dumps': '[1]', 'sys': null, 'logs': []}"));
    }

    @Test
    void a_cancelled_run_is_killed_and_the_sandbox_goes_on() throws Exception {
        CompletableFuture<ObjectNode> endless = RUNTIME.run("while True:\n    pass", json("{}"), 30_000, 64);
        endless.cancel(true);
        // The kill reaches the zygote before the next request on the same pipe; the run slot is freed at once.
        CompletableFuture<ObjectNode> next = RUNTIME.run("return {'ok': 1}", json("{}"), 5_000, 64);
        assertThat(next.get(10, TimeUnit.SECONDS).get("output")).isEqualTo(json("{'ok': 1}"));
    }

    @Test
    void writing_to_the_answer_stream_spoils_only_that_run() throws Exception {
        NodeException e = failure(node, POSIX + "posix.write(1, b'\\x00\\x00\\x00\\x02{}')\nposix._exit(0)", "");

        assertThat(e.type()).isEqualTo("python_error");
    }
}
