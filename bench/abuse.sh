#!/usr/bin/env bash
# Slow and abusive clients against one Weft process (issue 10): /health latency while --slow slow-body connections
# are open (bench/SlowClients.java), then the right user's sign-in throughput while a stranger brute-forces from
# another address (bench/SignInRace.java). Prints one JSON line each.
#
#   bench/abuse.sh [--slow 500] [--requests 10000] [--seconds 20]
#
# WEFT_JAR runs another build of Weft (default server/target/weft.jar); WEFT_BENCH_PORT (default 18082); other
# WEFT_HTTP_* variables pass through to the server (e.g. WEFT_HTTP_BODY_GRACE=10m keeps every slow body open).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
slow=500 requests=10000 seconds=20
while [ $# -gt 0 ]; do
  case "$1" in
    --slow) slow=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar=${WEFT_JAR:-$root/server/target/weft.jar}
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
port=${WEFT_BENCH_PORT:-18082}
if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then echo "port $port is in use: set WEFT_BENCH_PORT" >&2; exit 1; fi
data=$(mktemp -d /tmp/weft-abuse.XXXXXX)
WEFT_ADMIN_TOKEN=bench-admin java ${WEFT_JAVA_OPTS:--Xmx1g} -jar "$jar" serve --port "$port" --data "$data" \
  >"$data.log" 2>&1 & weft=$!
trap 'kill $weft 2>/dev/null || true; rm -rf "$data"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done
java "$here/SlowClients.java" --port "$port" --slow "$slow" --requests "$requests"
password=bench-password-$$
curl -sf -o /dev/null -H 'Content-Type: application/json' -d "{\"password\": \"$password\"}" \
  "http://127.0.0.1:$port/api/v1/session/setup"
for threads in 1 8; do
  java "$here/SignInRace.java" --port "$port" --password "$password" --seconds "$seconds" --stranger-threads "$threads"
done
