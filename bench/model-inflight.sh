#!/usr/bin/env bash
# Many model predictions in flight at once (issue 13: 1,000 predictions, each on a fake Replicate that finishes it
# 30 s after its create): starts `weft serve` (embedded SQLite, fresh data folder), then bench/ModelInFlight.java,
# which runs the fake prediction API on loopback, publishes a start -> model -> end flow, fires the executes and
# samples the server's RSS and threads while the predictions run. Prints a summary and one JSON line; exits non-zero
# unless every task completed with its output image stored.
#
#   bench/model-inflight.sh [tasks=1000] [delay_ms=30000] [--output file|text] [--gate true|false] [--warmup 20] [--senders 16]
#
# The server runs with Weft's default launch options (./weft: -Xms64m -Xmx1g -XX:+UseSerialGC) unless
# WEFT_JAVA_OPTS says otherwise; WEFT_WORKER_SLOTS defaults to max(256, tasks) here so that every task can run at once.
# WEFT_JAR runs another build (default server/target/weft.jar); WEFT_BENCH_PORT (default 18091).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tasks=${1:-1000}
delay=${2:-30000}
shift $(( $# < 2 ? $# : 2 ))
jar=${WEFT_JAR:-$root/server/target/weft.jar}
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package -pl server -am)
port=${WEFT_BENCH_PORT:-18091}
if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then echo "port $port is in use: set WEFT_BENCH_PORT" >&2; exit 1; fi
data=$(mktemp -d /tmp/weft-model-inflight.XXXXXX)
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
java -cp "$jar" "$here/ModelInFlight.java" --url "http://127.0.0.1:$port" --admin "$admin" --pid "$weft" \
  --tasks "$tasks" --delay-ms "$delay" "$@"
