#!/usr/bin/env bash
# Many slow steps in flight at once, against a real `weft serve` (embedded SQLite, fresh data folder): no thread held
# per waiting step, and the server's RSS and threads sampled while they wait. KIND chooses the step and its fake:
#   agents  issue 11: 1,000 agents, each waiting on a fake OpenAI-compatible model answering in 2 s (AgentsInFlight)
#   images  issue 13: 1,000 image steps on a fake images API answering in 30 s (ImagesInFlight)
#   model   issue 13: 1,000 predictions on a fake Replicate finishing each 30 s after its create (ModelInFlight)
# The Java tool runs the fake on loopback, publishes start -> <node> -> end, fires the executes and samples; it prints
# a summary and one JSON line, and exits non-zero unless every task completed with the right output.
# Usage:
#   bench/inflight.sh KIND [tasks=1000] [delay_ms] [options of the Java tool, e.g. --warmup 20 --senders 16]
# (bench/agents-inflight.sh, images-inflight.sh and model-inflight.sh are this script with KIND set.)
# The server runs with Weft's default launch options (./weft: -Xms64m -Xmx1g -XX:+UseSerialGC) unless
# WEFT_JAVA_OPTS says otherwise; WEFT_WORKER_SLOTS defaults to max(256, tasks) here so that every task can run at once.
# WEFT_JAR runs another build (default server/target/weft.jar); WEFT_BENCH_PORT (default 18090 for agents, else 18091).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
kind=${1:?usage: inflight.sh agents|images|model [tasks] [delay_ms] [options]}
shift
case "$kind" in
  agents) main=AgentsInFlight; delay_default=2000; port_default=18090 ;;
  images) main=ImagesInFlight; delay_default=30000; port_default=18091 ;;
  model) main=ModelInFlight; delay_default=30000; port_default=18091 ;;
  *) echo "unknown kind '$kind': agents, images or model" >&2; exit 2 ;;
esac
tasks=${1:-1000}
delay=${2:-$delay_default}
shift $(( $# < 2 ? $# : 2 ))
jar=${WEFT_JAR:-$root/server/target/weft.jar}
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package -pl server -am)
port=${WEFT_BENCH_PORT:-$port_default}
if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then echo "port $port is in use: set WEFT_BENCH_PORT" >&2; exit 1; fi
data=$(mktemp -d /tmp/weft-inflight.XXXXXX)
admin=bench-admin
slots=${WEFT_WORKER_SLOTS:-$(( tasks > 256 ? tasks : 256 ))}
WEFT_ADMIN_TOKEN=$admin WEFT_HTTP_ALLOW_PRIVATE=true WEFT_WORKER_SLOTS=$slots \
  java ${WEFT_JAVA_OPTS:--Xms64m -Xmx1g -XX:+UseSerialGC} -jar "$jar" serve --port "$port" --data "$data" \
  >"$data.log" 2>&1 & weft=$!
# the server's log is kept only when the run fails
trap 'rc=$?; kill $weft 2>/dev/null || true; wait $weft 2>/dev/null || true; rm -rf "$data"
      if [ $rc -eq 0 ]; then rm -f "$data.log"; else echo "server log: $data.log" >&2; fi' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do
  kill -0 $weft 2>/dev/null || { cat "$data.log" >&2; exit 1; }
  sleep 0.1
done
echo "weft pid $weft, worker slots $slots, java options: ${WEFT_JAVA_OPTS:--Xms64m -Xmx1g -XX:+UseSerialGC}" >&2
java -cp "$jar" "$here/$main.java" --url "http://127.0.0.1:$port" --admin "$admin" --pid "$weft" \
  --tasks "$tasks" --delay-ms "$delay" "$@"
