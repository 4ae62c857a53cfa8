#!/usr/bin/env bash
# Many open event streams (SSE) on one Weft process, with the server's heap measured before and with them open
# (bench/SseStreams.java says how). Prints one JSON line.
#
#   bench/sse.sh [--streams 1000] [--tasks 50]
#
# WEFT_JAR runs another build of Weft (default server/target/weft.jar); WEFT_BENCH_PORT (default 18081).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
streams=1000 tasks=50
while [ $# -gt 0 ]; do
  case "$1" in
    --streams) streams=$2; shift 2 ;;
    --tasks) tasks=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar=${WEFT_JAR:-$root/server/target/weft.jar}
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
port=${WEFT_BENCH_PORT:-18081}
if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then echo "port $port is in use: set WEFT_BENCH_PORT" >&2; exit 1; fi
data=$(mktemp -d /tmp/weft-sse.XXXXXX)
admin=bench-admin
WEFT_ADMIN_TOKEN=$admin WEFT_HTTP_ALLOW_PRIVATE=true java ${WEFT_JAVA_OPTS:--Xmx1g} -jar "$jar" serve \
  --port "$port" --data "$data" >"$data.log" 2>&1 & weft=$!
trap 'kill $weft 2>/dev/null || true; rm -rf "$data"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done
java "$here/SseStreams.java" --url "http://127.0.0.1:$port" --admin "$admin" --pid "$weft" \
  --streams "$streams" --tasks "$tasks"
echo "weft RSS with the streams closed: $(( $(ps -o rss= -p "$weft") / 1024 )) MB"
