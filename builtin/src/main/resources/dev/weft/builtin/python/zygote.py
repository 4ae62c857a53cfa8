# Weft's python zygote: started once per Weft process inside bubblewrap, it never runs user code itself. It
# pre-imports the allowed modules, then for each run forks a child that limits itself (rlimits, a seccomp filter,
# restricted builtins) and runs the code; the child's memory dies with it, so no run sees another's state.
#
# Protocol on stdin/stdout: frames of a 4-byte big-endian length and UTF-8 JSON.
#   in:  {"op": "run", "id": n, "code": str, "inputs": {...}, "timeout_ms": n, "memory_mb": n}
#        {"op": "kill", "id": n}
#   out: {"op": "ready", "python": "3.11.2"} once, then per run
#        {"id": n, "ok": true, "output": {...}, "logs": [...]} or {"id": n, "ok": false, "error": t, "message": m, "logs": [...]}
import sys
sys.path.append('/usr/lib/python3/dist-packages')
import gc, os, json, selectors, signal, resource, struct, traceback, io, tokenize, ast, builtins, time
import re, math, statistics, datetime, itertools, collections, collections.abc, decimal, random, string, textwrap
import base64, hashlib, uuid, functools, operator, copy, heapq, bisect, fractions, _strptime
import encodings.latin_1, encodings.ascii, encodings.utf_16, encodings.utf_32, encodings.idna, encodings.cp1252
import seccomp

ALLOWED = frozenset(('json', 're', 'math', 'statistics', 'datetime', 'itertools', 'collections', 'collections.abc',
                     'decimal', 'random', 'string', 'textwrap', 'base64', 'hashlib', 'uuid', 'functools',
                     'operator', 'copy', 'heapq', 'bisect', 'fractions'))
# Modules the allowed ones import lazily from C (time.strptime and datetime.strptime import _strptime).
LAZY = frozenset(('_strptime',))
REMOVED_BUILTINS = ('open', 'input', 'breakpoint', 'help', 'exit', 'quit', 'compile', 'exec', 'eval', 'memoryview')
MAX_RUNNING = 64
IDLE = 2
MAX_MEMORY_MB = 512
MAX_CPU_SECONDS = 31
MAX_OUTPUT = 16 * 1024 * 1024
MAX_LOG_LINES = 200
MAX_LOG_LINE_CHARS = 2000
FILENAME = '<code>'
DUMPS = json.dumps   # taken now: a run that replaces json.dumps still gets its answer written

# Syscalls a run may not make: they fail with EPERM (a PermissionError in Python), except those that only an
# attack would use, which kill the child. Everything else (memory, reading and writing open pipes, time) is allowed.
DENIED = ('open', 'openat', 'openat2', 'creat', 'open_by_handle_at', 'name_to_handle_at',
          'socket', 'socketpair', 'connect', 'bind', 'listen', 'accept', 'accept4',
          'execve', 'execveat', 'fork', 'vfork', 'clone', 'clone3', 'unshare', 'setns',
          'kill', 'tkill', 'tgkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'pidfd_open', 'pidfd_send_signal',
          'pidfd_getfd', 'ptrace', 'process_vm_readv', 'process_vm_writev', 'kcmp',
          'prctl', 'seccomp', 'personality', 'chdir', 'fchdir', 'chroot', 'pivot_root',
          'mount', 'umount2', 'mknod', 'mknodat', 'link', 'linkat', 'symlink', 'symlinkat', 'unlink', 'unlinkat',
          'rename', 'renameat', 'renameat2', 'mkdir', 'mkdirat', 'rmdir', 'chmod', 'fchmod', 'fchmodat', 'chown',
          'fchown', 'lchown', 'fchownat', 'truncate', 'ftruncate', 'memfd_create', 'userfaultfd', 'bpf',
          'perf_event_open', 'io_uring_setup', 'io_uring_enter', 'io_uring_register', 'keyctl', 'add_key',
          'request_key', 'setsid', 'setpgid', 'setuid', 'setgid', 'setreuid', 'setregid', 'setresuid', 'setresgid',
          'inotify_init', 'inotify_init1', 'fanotify_init', 'msgget', 'semget', 'shmget', 'mq_open', 'sethostname',
          'setdomainname', 'syslog', 'reboot', 'swapon', 'swapoff', 'init_module', 'finit_module', 'delete_module',
          'kexec_load', 'acct', 'quotactl', 'ioprio_set', 'sched_setaffinity', 'sched_setscheduler', 'mbind',
          'set_mempolicy', 'migrate_pages', 'move_pages')


def seccomp_filter():
    f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    for name in DENIED:
        try:
            f.add_rule(seccomp.ERRNO(1), name)
        except (RuntimeError, ValueError, OSError):
            pass   # not a syscall on this kernel or architecture
    return f


FILTER = seccomp_filter()


def frame(obj):
    data = json.dumps(obj, ensure_ascii=False, allow_nan=False).encode()
    return struct.pack('>I', len(data)) + data


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


# ---- in the child ----------------------------------------------------------------------------------------------

class Logs(io.TextIOBase):
    """print() of a run: lines kept, capped in number and length."""

    def __init__(self, prefix=''):
        self.lines, self.partial, self.prefix = [], '', prefix

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        self.partial += text
        if len(self.partial) > MAX_LOG_LINE_CHARS * 4 and '\n' not in self.partial:
            self.partial = self.partial[:MAX_LOG_LINE_CHARS + 1]
        while '\n' in self.partial:
            line, self.partial = self.partial.split('\n', 1)
            self.add(line)
        return len(text)

    def add(self, line):
        if len(LOGS) < MAX_LOG_LINES:
            line = self.prefix + line
            LOGS.append(line if len(line) <= MAX_LOG_LINE_CHARS else line[:MAX_LOG_LINE_CHARS] + '...')
        elif len(LOGS) == MAX_LOG_LINES:
            LOGS.append('(more lines dropped)')

    def flush(self):
        pass

    def close_out(self):
        if self.partial:
            self.add(self.partial)
            self.partial = ''


LOGS = []


def source_of(body):
    """The body as `def main(inputs):` with each line indented, except lines inside a multi-line string."""
    keep = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(body).readline):
            if tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
                keep.update(range(tok.start[0] + 1, tok.end[0] + 1))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    lines = body.split('\n')
    indented = [line if i + 1 in keep else ' ' + line for i, line in enumerate(lines)]
    return 'def main(inputs):\n' + '\n'.join(indented) + '\n pass\n'


def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level != 0 or name not in ALLOWED and name not in LAZY:
        raise ImportError("import of '%s' is not allowed; allowed: %s" % (name, ', '.join(sorted(ALLOWED))))
    for sub in fromlist or ():
        if name + '.' + sub in sys.modules and name + '.' + sub not in ALLOWED:
            raise ImportError("import of '%s.%s' is not allowed" % (name, sub))
    return IMPORT(name, globals, locals, fromlist, 0)


IMPORT = builtins.__import__


def user_line(tb):
    line = None
    for entry in traceback.extract_tb(tb):
        if entry.filename == FILENAME:
            line = entry.lineno - 1
    return line


def describe(e):
    message = type(e).__name__ + (': ' + str(e) if str(e) else '')
    if isinstance(e, SyntaxError):
        message = type(e).__name__ + ': ' + (e.msg or 'invalid syntax')
        line = (e.lineno - 1) if e.lineno and e.filename == FILENAME else None
    else:
        line = user_line(e.__traceback__)
    return message + (' (line %d)' % line if line and line > 0 else '')


def child(request_fd, result_fd):
    """A pre-forked child: sandboxes itself, waits for one request, runs it, writes the answer; never returns."""
    try:
        with open('/proc/self/statm', 'rb') as statm:
            base = int(statm.read().split()[0]) * resource.getpagesize()
        # Hard limits at the largest a run may ask for; a run lowers them to its own (a hard limit only goes down).
        resource.setrlimit(resource.RLIMIT_AS, (base + MAX_MEMORY_MB * 1024 * 1024,) * 2)
        resource.setrlimit(resource.RLIMIT_CPU, (MAX_CPU_SECONDS, MAX_CPU_SECONDS + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.dup2(request_fd, 0)
        os.dup2(result_fd, 1)
        os.dup2(result_fd, 2)
        os.closerange(3, 65536)
        random.seed()   # a fresh seed from the kernel: the zygote's state is the same in every child
        FILTER.load()
        # Writing to the zygote's pages copies them (a fault each, costly in a VM): done now, while idle, by
        # running the samples again, so that a run's own code finds most of its pages already copied.
        warm_up()
    except BaseException as e:
        answer = {'ok': False, 'error': 'python_unavailable', 'message': 'the sandbox could not be set up: %r' % e}
        data = json.dumps(answer).encode()
        write_all(result_fd, struct.pack('>I', len(data)) + data)
        os._exit(0)
    data = bytearray()
    while True:
        chunk = os.read(0, 1 << 20)
        if not chunk:
            break
        data += chunk
    if not data:
        os._exit(0)   # the zygote is closing its pool
    request = json.loads(bytes(data))
    del data
    memory_mb = request.get('memory_mb', 64)
    cpu = max(1, -(-request.get('timeout_ms', 1000) // 1000))
    resource.setrlimit(resource.RLIMIT_AS, (base + memory_mb * 1024 * 1024,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    out, err = Logs(), Logs('error: ')
    sys.stdout, sys.stderr = out, err
    try:
        answer = run(request)
    except MemoryError:
        answer = {'ok': False, 'error': 'python_memory_limit',
                  'message': 'the code allocated more than %d MB (memory_mb)' % memory_mb}
    except BaseException as e:
        answer = {'ok': False, 'error': 'python_error', 'message': describe(e)}
    out.close_out()
    err.close_out()
    answer['logs'] = LOGS
    try:
        data = DUMPS(answer, ensure_ascii=False, allow_nan=False).encode()
    except BaseException as e:
        data = DUMPS({'ok': False, 'error': 'python_error', 'logs': LOGS,
                           'message': 'the returned value is not JSON: ' + describe(e)}).encode()
    try:
        write_all(1, struct.pack('>I', len(data)) + data)
    finally:
        os._exit(0)


def run(request):
    safe = dict(builtins.__dict__)
    for name in REMOVED_BUILTINS:
        safe.pop(name, None)
    safe['__import__'] = guarded_import
    scope = {'__builtins__': safe, '__name__': 'weft_code'}
    try:
        tree = ast.parse(source_of(request['code']), FILENAME)
        code = builtins.compile(tree, FILENAME, 'exec')
    except SyntaxError as e:
        return {'ok': False, 'error': 'python_error', 'message': describe(e)}
    exec_ = builtins.exec
    del request['code']
    exec_(code, scope)
    value = scope['main'](request.pop('inputs'))
    if value is None:
        value = {}
    elif not isinstance(value, dict):
        value = {'result': value}
    DUMPS(value, allow_nan=False)   # fails here, inside the try, if the value is not JSON
    return {'ok': True, 'output': value}


# ---- in the zygote ---------------------------------------------------------------------------------------------

class Child:
    """A forked child: idle (waiting for a request) until given one, then running until it exits."""
    __slots__ = ('pid', 'pidfd', 'request', 'pipe', 'chunks', 'size', 'id', 'deadline', 'reason', 'timeout_ms')


IDLE_CHILDREN = collections.deque()
RUNNING = {}      # request id -> Child
QUEUE = collections.deque()
SELECTOR = selectors.DefaultSelector()


def forget_zygote_state():
    """In a fresh child: drop the zygote's references to other runs, so that nothing of theirs is reachable."""
    RUNNING.clear()
    IDLE_CHILDREN.clear()
    QUEUE.clear()
    try:
        SELECTOR.close()
    except OSError:
        pass


def fork_child():
    request_r, request_w = os.pipe()
    result_r, result_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        forget_zygote_state()
        child(request_r, result_w)
    os.close(request_r)
    os.close(result_w)
    os.set_blocking(result_r, False)
    c = Child()
    c.pid, c.pidfd, c.request, c.pipe, c.chunks, c.size = pid, os.pidfd_open(pid), request_w, result_r, [], 0
    c.id, c.deadline, c.reason, c.timeout_ms = None, None, None, 0
    SELECTOR.register(c.pipe, selectors.EVENT_READ, ('pipe', c))
    SELECTOR.register(c.pidfd, selectors.EVENT_READ, ('exit', c))
    IDLE_CHILDREN.append(c)


def start(request):
    if not IDLE_CHILDREN:
        fork_child()
    c = IDLE_CHILDREN.popleft()
    c.id, c.timeout_ms = request['id'], request.get('timeout_ms', 1000)
    c.deadline = time.monotonic() + c.timeout_ms / 1000
    RUNNING[c.id] = c
    try:
        write_all(c.request, json.dumps(request, ensure_ascii=False).encode())
    except OSError:
        pass   # the child died; its exit reports the run
    os.close(c.request)
    c.request = None


def stop(c, reason):
    if c.reason is None:
        c.reason = reason
    try:
        os.kill(c.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def read_pipe(c):
    while True:
        try:
            chunk = os.read(c.pipe, 65536)
        except BlockingIOError:
            return
        if not chunk:
            SELECTOR.unregister(c.pipe)
            os.close(c.pipe)
            c.pipe = None
            return
        c.size += len(chunk)
        if c.size > MAX_OUTPUT + 4:
            stop(c, 'output')
        else:
            c.chunks.append(chunk)
            if c.id is not None and c.reason is None and c.size >= 4:
                whole = b''.join(c.chunks)
                c.chunks = [whole]
                if len(whole) >= 4 + struct.unpack('>I', whole[:4])[0]:
                    report(c, answer_of(c, 0))   # the answer is whole: no need to wait for the exit
                    stop(c, 'answered')


def finish(c):
    _, status = os.waitpid(c.pid, 0)
    if c.pipe is not None:
        os.set_blocking(c.pipe, True)
        read_pipe(c)
        if c.pipe is not None:
            SELECTOR.unregister(c.pipe)
            os.close(c.pipe)
    SELECTOR.unregister(c.pidfd)
    os.close(c.pidfd)
    if c.request is not None:
        os.close(c.request)
    if c.id is None:
        IDLE_CHILDREN.remove(c)   # an idle child died: a new one is forked when needed
        write_all(2, b''.join(c.chunks)[:2000] + b'\n')
        return
    del RUNNING[c.id]
    if c.reason != 'answered':
        report(c, answer_of(c, status))


def report(c, answer):
    if answer is not None:
        answer['id'] = c.id
        write_all(1, frame(answer))


def answer_of(c, status):
    signalled = os.WIFSIGNALED(status)
    if c.reason == 'timeout' or signalled and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        return {'ok': False, 'error': 'python_time_limit',
                'message': 'the code ran longer than %d ms (timeout_ms)' % c.timeout_ms}
    if c.reason == 'killed':
        return None   # cancelled: nobody waits for it
    if c.reason == 'output':
        return {'ok': False, 'error': 'python_error',
                'message': 'the output is larger than %d MB' % (MAX_OUTPUT // 1024 // 1024)}
    if signalled:
        return {'ok': False, 'error': 'python_error', 'message': 'the code crashed Python (signal %d)' % os.WTERMSIG(status)}
    data = b''.join(c.chunks)
    try:
        if len(data) == 4 + struct.unpack('>I', data[:4])[0]:
            answer = json.loads(data[4:])
            if isinstance(answer, dict) and isinstance(answer.get('ok'), bool):
                return answer
    except (ValueError, struct.error):
        pass
    return {'ok': False, 'error': 'python_error',
            'message': 'the code wrote to its output stream or exited without returning'}


class Input:
    def __init__(self):
        self.buffer = bytearray()

    def read(self):
        chunk = os.read(0, 1 << 20)
        if not chunk:
            return False
        self.buffer += chunk
        while len(self.buffer) >= 4:
            size = struct.unpack('>I', self.buffer[:4])[0]
            if len(self.buffer) < 4 + size:
                break
            request = json.loads(bytes(self.buffer[4:4 + size]))
            del self.buffer[:4 + size]
            handle(request)
        return True


def handle(request):
    if request.get('op') == 'kill':
        c = RUNNING.get(request['id'])
        if c is not None:
            stop(c, 'killed')
        else:
            for queued in list(QUEUE):
                if queued['id'] == request['id']:
                    QUEUE.remove(queued)
    elif len(RUNNING) < MAX_RUNNING:
        start(request)
    else:
        QUEUE.append(request)


def warm_up():
    """Runs sample code here, in the trusted zygote, so that the caches a first run fills are full in every child."""
    global LOGS
    sample = 'import json, re\nprint("x", json.dumps({"a": [1, 2.5]}))\nreturn {"n": re.sub("a", "b", "a") + str(inputs)}'
    stdout, stderr = sys.stdout, sys.stderr
    for code in (sample, 'x = 1 / 0', 'if x', 'return {1}'):
        out = Logs()
        sys.stdout = out
        try:
            answer = run({'code': code, 'inputs': {'a': 1}})
        except BaseException as e:
            answer = {'ok': False, 'error': 'python_error', 'message': describe(e)}
        out.close_out()
        try:
            json.dumps(answer, allow_nan=False)
        except (TypeError, ValueError) as e:
            describe(e)
    sys.stdout, sys.stderr = stdout, stderr
    LOGS = []


def serve():
    os.set_blocking(0, False)
    incoming = Input()
    SELECTOR.register(0, selectors.EVENT_READ, ('stdin', None))
    warm_up()
    gc.freeze()   # the zygote's objects move out of the collector's reach: a child's collections leave their pages shared
    for _ in range(IDLE):
        fork_child()
    write_all(1, frame({'op': 'ready', 'python': '%d.%d.%d' % sys.version_info[:3]}))
    while True:
        while QUEUE and len(RUNNING) < MAX_RUNNING:
            start(QUEUE.popleft())
        now = time.monotonic()
        timeout = None
        for c in RUNNING.values():
            if c.reason is None:
                if c.deadline <= now:
                    stop(c, 'timeout')
                else:
                    timeout = c.deadline - now if timeout is None else min(timeout, c.deadline - now)
        # The pool is refilled only when no run is in flight: a fork takes the zygote away from reading answers
        # for a millisecond (tens in a busy VM). With runs in flight and no idle child, a request forks its own.
        refill = len(IDLE_CHILDREN) < IDLE and not RUNNING
        events = SELECTOR.select(0 if refill else timeout)
        if not events and refill:
            fork_child()
            continue
        for key, _ in events:
            kind, c = key.data
            if kind == 'stdin':
                if not incoming.read():
                    for running in list(RUNNING.values()):
                        stop(running, 'killed')
                    os._exit(0)
            elif kind == 'pipe' and c.pipe is not None:
                read_pipe(c)
            elif kind == 'exit' and c.pidfd is not None and c in RUNNING.values() or kind == 'exit' and c in IDLE_CHILDREN:
                finish(c)
                c.pidfd = None


serve()
