#!/usr/bin/env bash
# MCP tools/call of a pure flow (examples/hello.json exposed as the tool "greet") at concurrency 1 on loopback,
# against the Scade execute ?wait of the same flow (bench/McpCalls.java says how). Prints one JSON line.
#
#   bench/mcp.sh [--duration 10] [--warmup 3]
#
# WEFT_JAR runs another build of Weft (default server/target/weft.jar); WEFT_BENCH_PORT (default 18082).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
jar=${WEFT_JAR:-$root/server/target/weft.jar}
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
port=${WEFT_BENCH_PORT:-18082}
if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then echo "port $port is in use: set WEFT_BENCH_PORT" >&2; exit 1; fi
data=$(mktemp -d /tmp/weft-mcp.XXXXXX)
admin=bench-admin
WEFT_ADMIN_TOKEN=$admin java ${WEFT_JAVA_OPTS:--Xms64m -Xmx1g -XX:+UseSerialGC} -jar "$jar" serve \
  --port "$port" --data "$data" >"$data.log" 2>&1 & weft=$!
trap 'kill $weft 2>/dev/null || true; rm -rf "$data"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done
base="http://127.0.0.1:$port"
flow=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.update(mcp_tool=True, mcp_name="greet"); print(json.dumps(d))' \
  "$root/examples/hello.json" | curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  --data-binary @- "$base/api/v1/flows" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf -X POST -H "Authorization: Bearer $admin" "$base/api/v1/flows/$flow/publish" >/dev/null
key=$(curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
  "$base/api/v1/keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
java -cp "$jar" "$here/McpCalls.java" --url "$base" --key "$key" --flow "$flow" --tool greet "$@"
