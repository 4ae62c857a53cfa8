#!/usr/bin/env bash
# What one poll costs Weft's process: the CPU time per request of GET /api/v1/task/{id} for a finished task (held in
# memory), beside GET /health (the floor of any request through Jetty, the servlet layer and Javalin), both sent by
# the shared load generator at concurrency 16 for 15 s after 10 s of warm-up, alternately, `--rounds` times. The CPU
# time is read from /proc over the measured window only. With ASYNC_PROFILER_LIB set, the whole run is profiled into
# the file given by --profile (collapsed stacks; bench/profile_shares.py reads them).
#
#   bench/pollcost.sh [--rounds 2] [--profile FILE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${WEFT_SHARED:-$root/../shared/bench}
rounds=2 profile=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar=${WEFT_JAR:-$root/server/target/weft.jar}
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
port=${WEFT_BENCH_PORT:-18190}
data=$(mktemp -d /tmp/weft-pollcost.XXXXXX)
agent=""
[ -z "$profile" ] || agent=-agentpath:${ASYNC_PROFILER_LIB:?set ASYNC_PROFILER_LIB to libasyncProfiler.so}=start,event=cpu,interval=1ms,file=$profile,collapsed
if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then echo "port $port is in use: set WEFT_BENCH_PORT" >&2; exit 1; fi
WEFT_ADMIN_TOKEN=bench-admin java $("$root/weft" --java-options) $agent -jar "$jar" serve --port "$port" --data "$data" \
  >"$data.log" 2>&1 & weft=$!
trap 'kill $weft 2>/dev/null || true; wait $weft 2>/dev/null || true; rm -rf "$data" "$data.log"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done

api() { curl -sf -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' "$@"; }
key=$(api -d '{"name": "bench"}' "http://127.0.0.1:$port/api/v1/keys" | sed 's/.*"key":"\([^"]*\)".*/\1/')
flow=$(api -d @"$here/flows/w1.json" "http://127.0.0.1:$port/api/v1/flows" | sed 's/^{"id":\([0-9]*\).*/\1/')
api -X POST "http://127.0.0.1:$port/api/v1/flows/$flow/publish" >/dev/null
task=$(curl -sf -H "Authorization: Basic $key" -H 'Content-Type: application/json' \
  -d '{"node_settings": {"start": {"data": {"name": "Ada"}}}}' \
  "http://127.0.0.1:$port/api/v1/scade/flow/$flow/execute?wait=10" | sed 's/.*"id":"\{0,1\}\([0-9a-z]*\).*/\1/')
tick=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$weft/stat"; }
out=$(mktemp)
for _ in $(seq "$rounds"); do
  for what in task health; do
    url="http://127.0.0.1:$port/api/v1/task/$task"; [ "$what" = health ] && url="http://127.0.0.1:$port/health"
    java "$shared/LoadGen.java" --url "$url" --header "Authorization: Basic $key" --concurrency 16 --duration 15 \
      --warmup 10 >"$out" & gen=$!
    sleep 10; c0=$(cpu); sleep 15; c1=$(cpu); wait $gen
    rate=$(sed 's/.*"throughput":\([0-9.]*\).*/\1/' "$out")
    echo "$what: $rate requests/s, $(python3 -c "print(round(($c1 - $c0) / $tick * 1e6 / ($rate * 15), 1))") µs of Weft's CPU per request"
  done
done
rm -f "$out"
