#!/usr/bin/env bash
# Load benchmark of a Weft server with the shared load generator (../shared/bench/LoadGen.java):
# W1 echo, W2 10-node chain, W3 3 parallel HTTP calls to a 50 ms upstream, W4 one call taking 2 s (LLM-shaped; run
# it with --concurrency 1000), through the Scade-compatible API (execute + poll). Prints one JSON line per run, then
# what the run cost Weft's process: CPU time per task (µs, warm-up included: the process's CPU time over the tasks
# it accepted meanwhile), its thread count and resident memory, and a steady window after the warm-up (CPU per task of
# the server, the load generator and the upstream, and the server's context switches per task, in all and by thread
# group); at the end the server's resident memory. With W3 it first runs the same clients against the upstream alone (one 50 ms call each):
# the floor of a W3 task's latency and the ceiling of its rate at that concurrency, for any server.
#
#   bench/run.sh [--duration 10] [--warmup 3] [--concurrency "1 8 64"] [--workloads "w1 w2 w3 w4"] [--peer node-red]
#                [--wait "0 30"] [--poll-ms 5] [--upstream-nodelay] [--profile PREFIX]
#
# --wait N sends execute?wait=N: the answer carries the finished task, so no poll follows (a 202, when N seconds
# pass first, falls back to polling); 0 is execute + poll. Several values run back to back on the same server for
# each workload and concurrency, so that their figures share the machine's conditions.
# WEFT_JAR runs another build of Weft (default server/target/weft.jar); WEFT_BENCH_PORT its port (default 18080).
# WEFT_JAVA_OPTS replaces its JVM options (default ./weft's, as `./weft --java-options` prints them),
# e.g. to add a profiler agent.
# W4 with 1,000 clients needs as many file descriptors (ulimit -n, raised here to 8192 when lower) and worker slots
# (WEFT_WORKER_SLOTS, default 1024).
#
# --upstream-nodelay starts the shared upstream with -Dsun.net.httpserver.nodelay=true. By default the JDK's
# HttpServer leaves Nagle's algorithm on: its answer goes out in two writes, the second waits for the client's
# delayed ACK, and each call on a kept-alive connection takes ~100 ms instead of ~50 (for every client, Weft and
# Node-RED alike). The option shows what a server does when the upstream answers in its stated 50 ms.
#
# --profile PREFIX profiles Weft's measured window of each run (after the warm-up) with async-profiler, CPU samples
# every ms, into PREFIX-<workload>-c<clients>[-wait<N>].collapsed (stacks in the collapsed format; flame graphs or
# top frames from there). The agent runs from the server's start and writes a file a second (loop=1s); the files
# of the window are joined. ASYNC_PROFILER_LIB names libasyncProfiler.so (from Maven Central:
# tools.profiler:async-profiler:4.1:jar:linux-x64, unzipped).
#
# --peer node-red runs the same workloads on Node-RED (sync HTTP) in the same session, for a side-by-side ratio;
# it needs ../shared/bench/peers.sh install (Node.js and Node-RED from the npm registry).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${WEFT_SHARED:-$root/../shared/bench}
duration=10 warmup=3 concurrency="1 8 64" workloads="w1 w2 w3" peer="" waits="0" pollms=5 upstream_opts="" profile=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    --peer) peer=$2; shift 2 ;;
    --wait) waits=$2; shift 2 ;;
    --poll-ms) pollms=$2; shift 2 ;;
    --upstream-nodelay) upstream_opts=-Dsun.net.httpserver.nodelay=true; shift ;;
    --profile) profile=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar=${WEFT_JAR:-$root/server/target/weft.jar}
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 8192 ] || ulimit -n 8192 2>/dev/null || true
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
port=${WEFT_BENCH_PORT:-18080}
data=$(mktemp -d /tmp/weft-bench.XXXXXX)
admin=bench-admin
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$data"; }
trap cleanup EXIT

if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then echo "port $port is in use: set WEFT_BENCH_PORT" >&2; exit 1; fi
agent=""
[ -z "$profile" ] || agent=-agentpath:${ASYNC_PROFILER_LIB:?set ASYNC_PROFILER_LIB to libasyncProfiler.so}=start,event=cpu,interval=1ms,loop=1s,file=$data/prof-%t.collapsed,collapsed
java $upstream_opts "$shared/Upstream.java" 18090 >/dev/null 2>&1 & upstream=$!; pids+=($upstream)
WEFT_ADMIN_TOKEN=$admin WEFT_HTTP_ALLOW_PRIVATE=true WEFT_WORKER_SLOTS=${WEFT_WORKER_SLOTS:-1024} java $("$root/weft" --java-options) $agent -jar "$jar" serve \
  --port "$port" --data "$data" >"$data.log" 2>&1 & weft=$!; pids+=($weft)
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done
until curl -sf "http://127.0.0.1:18090/count" >/dev/null; do sleep 0.1; done

api() { curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "$@"; }
key=$(api -d '{"name": "bench"}' "http://127.0.0.1:$port/api/v1/keys" | sed 's/.*"key":"\([^"]*\)".*/\1/')
declare -A flow body expect
for w in w1 w2 w3 w4; do
  flow[$w]=$(api -d @"$here/flows/$w.json" "http://127.0.0.1:$port/api/v1/flows" | sed 's/^{"id":\([0-9]*\).*/\1/')
  api -X POST "http://127.0.0.1:$port/api/v1/flows/${flow[$w]}/publish" >/dev/null
done
body[w1]='{"node_settings": {"start": {"data": {"name": "Ada"}}}}'; expect[w1]='Hello Ada'
body[w2]='{"node_settings": {"start": {"data": {"n": 0}}}}';      expect[w2]='"n":10'
body[w3]='{}';                                                      expect[w3]='branch=c'
body[w4]='{}';                                                      expect[w4]='ms=2000'

# CPU ticks (utime + stime) of a process; tasks Weft accepted so far (its own counter)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# context switches (voluntary and not: thread hand-offs) of a process's threads by thread group (the thread's name
# without its number; Linux keeps 15 characters of it), a line a group; the steady window reports them per task
csw_groups() {
  for t in /proc/"$1"/task/*; do
    awk -v n="$(sed 's/[-_]*[0-9]*$//; s/ /_/g' "$t/comm" 2>/dev/null)" '/ctxt_switches/ {s += $2} END {print n, s + 0}' \
      "$t/status" 2>/dev/null || true   # a thread that ended meanwhile
  done | awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}
accepted() { curl -sf "http://127.0.0.1:$port/metrics" | awk '/^weft_tasks_accepted_total/ {print int($2)}'; }
hz=$(getconf CLK_TCK)
zero() { echo 0; }
# The steady window: CPU per task of the server and of the load generator from the end of the warm-up (and the
# generator's own start, ~2 s to compile it) until the generator has finished, so that neither the JIT's warm-up nor
# anything before counts. Both are divided by the tasks the server took in that span (its counter, or, for a peer
# without one, the generator's measured throughput times the span). On a machine where the load generator has cores
# of its own, a CPU-bound server's throughput is its cores over its CPU per task: this is the figure that carries over.
steady() {   # steady SERVER_PID GEN_PID COUNT_FN: samples in the background; steady_report reads the result
  local server=$1 gen=$2 count=$3
  rm -f "$data/steady"
  ( sleep "$(( ${warmup%.*} + 2 ))"
    kill -0 "$gen" 2>/dev/null || exit 0
    s0=$(ticks "$server") g0=$(ticks "$gen") u0=$(ticks "$upstream") k0=$($count) z0=$(date +%s%N) g1=$g0
    csw_groups "$server" >"$data/csw0"
    while kill -0 "$gen" 2>/dev/null; do s1=$(ticks "$server"); g1=$(ticks "$gen" 2>/dev/null || echo "$g1"); sleep 0.2; done
    s1=$(ticks "$server") u1=$(ticks "$upstream") k1=$($count) z1=$(date +%s%N)
    csw_groups "$server" >"$data/csw1"
    echo "$s0 $s1 $g0 $g1 $k0 $k1 $z0 $z1 $u0 $u1" >"$data/steady" ) &
  steady_pid=$!
}
steady_report() {   # after "wait $steady_pid" in this shell
  [ -s "$data/steady" ] || { echo "none"; return; }
  read -r s0 s1 g0 g1 k0 k1 z0 z1 u0 u1 <"$data/steady"
  local n=$(( k1 - k0 ))   # a peer without a counter: its measured throughput ($1, per second) over the span
  [ -z "${1:-}" ] || n=$(awk -v t="$1" -v ms=$(( (z1 - z0) / 1000000 )) 'BEGIN {printf "%d", t * ms / 1000}')
  [ "$n" -gt 0 ] || n=1
  echo "$n tasks in $(( (z1 - z0) / 1000000 )) ms, server $(( (s1 - s0) * 1000000 / hz / n )) us/task," \
    "load generator $(( (g1 - g0) * 1000000 / hz / n )) us/task, upstream $(( (u1 - u0) * 1000000 / hz / n )) us/task," \
    "server context switches $(join -a2 -e0 -o 0,1.2,2.2 "$data/csw0" "$data/csw1" | awk -v n="$n" '
      { d = ($3 - $2) / n; all += d; if (d >= 0.05) { groups = groups sep sprintf("%s %.2f", $1, d); sep = ", " } }
      END { printf "%.2f/task (%s)", all, groups }')"
}

if [[ " $workloads " == *" w3 "* ]]; then
  # The floor of W3's latency and the ceiling of its rate: the same clients each making one 50 ms call, no server
  # between. A closed loop of c clients can finish at most c tasks per task latency, so no server's W3 at c clients
  # can pass this rate (a W3 task waits for the slowest of its three calls, so it takes at least as long as one).
  for c in $concurrency; do
    printf 'upstream alone c=%s ' "$c"
    java "$shared/LoadGen.java" --url "http://127.0.0.1:18090/?ms=50" --concurrency "$c" --duration "$duration" --warmup "$warmup"
  done
fi
if [[ " $workloads " == *" w4 "* ]]; then   # W4's ceiling here: the same clients against the upstream alone, no server between
  for c in $concurrency; do
    printf 'upstream alone, 2 s calls, c=%s ' "$c"
    java "$shared/LoadGen.java" --url "http://127.0.0.1:18090/?ms=2000" --concurrency "$c" --duration "$duration" --warmup "$warmup"
  done
fi
for w in $workloads; do
  for c in $concurrency; do
   for wait in $waits; do
    [ "$wait" = 0 ] && wait=""
    printf '%s weft%s c=%s ' "$w" "${wait:+ wait=$wait}" "$c"
    t0=$(ticks "$weft") n0=$(accepted)
    from=$(date -u -d "+$warmup seconds" +%Y%m%d-%H%M%S)
    java "$shared/LoadGen.java" --url "http://127.0.0.1:$port/api/v1/scade/flow/${flow[$w]}/execute${wait:+?wait=$wait}" \
      --body "${body[$w]}" --header "Authorization: Basic $key" --header 'Content-Type: application/json' \
      --poll-url "http://127.0.0.1:$port/api/v1/task/{id}" --poll-ms "$pollms" \
      --expect "${expect[$w]}" --concurrency "$c" --duration "$duration" --warmup "$warmup" & gen=$!
    steady "$weft" "$gen" accepted
    wait "$gen"; wait "$steady_pid" 2>/dev/null || true
    t1=$(ticks "$weft") n1=$(accepted)
    if [ -n "$profile" ]; then   # the one-second chunks that began inside the measured window
      to=$(date -u +%Y%m%d-%H%M%S) out=$profile-$w-c$c${wait:+-wait$wait}.collapsed
      : >"$out"
      for f in "$data"/prof-*.collapsed; do
        t=${f##*/prof-}; t=${t%.collapsed}
        [[ "$t" > "$from" || "$t" == "$from" ]] && [[ "$t" < "$to" ]] && cat "$f" >>"$out"
        rm -f "$f"
      done
    fi
    echo "  weft: $(( n1 - n0 )) tasks, cpu $(( (t1 - t0) * 1000000 / hz / ( n1 > n0 ? n1 - n0 : 1 ) )) us/task," \
      "$(awk '/^Threads/ {print $2}' "/proc/$weft/status") threads, RSS $(( $(ps -o rss= -p "$weft") / 1024 )) MB;" \
      "steady window: $(steady_report)"
   done
  done
done
echo "weft RSS after the runs: $(( $(ps -o rss= -p "$weft") / 1024 )) MB"
# WEFT_JAVA_OPTS="<the default> -XX:NativeMemoryTracking=summary": where that memory is, by the JVM's own account
if jcmd "$weft" VM.native_memory summary 2>/dev/null | grep -q committed; then
  jcmd "$weft" VM.native_memory summary | grep -E '^(Total|-)' | sed 's/^/  /'
fi

if [ "$peer" = node-red ]; then
  red=$("$shared/peers.sh" start node-red); pids+=($red)
  until curl -s -o /dev/null "http://127.0.0.1:1880/"; do sleep 0.2; done
  for w in $workloads; do
    for c in $concurrency; do
      printf '%s node-red c=%s ' "$w" "$c"
      req=${body[$w]}; [ "$w" = w1 ] && req='{"name": "Ada"}'; [ "$w" = w2 ] && req='{"n": 0}'
      t0=$(ticks "$red")
      java "$shared/LoadGen.java" --url "http://127.0.0.1:1880/$w" --body "$req" \
        --header 'Content-Type: application/json' --concurrency "$c" --duration "$duration" --warmup "$warmup" \
        >"$data/gen.json" & gen=$!
      steady "$red" "$gen" zero
      wait "$gen"; wait "$steady_pid" 2>/dev/null || true
      cat "$data/gen.json"
      echo "  node-red: cpu $(( ($(ticks "$red") - t0) * 1000 / hz )) ms over the run," \
        "RSS $(( $(ps -o rss= -p "$red") / 1024 )) MB; steady window:" \
        "$(steady_report "$(sed 's/.*"throughput":\([0-9.]*\).*/\1/' "$data/gen.json")")"
    done
  done
  echo "node-red RSS after the runs: $(( $(ps -o rss= -p "$red") / 1024 )) MB"
fi
