#!/usr/bin/env bash
# What the tasks a process answers polls for from memory hold: runs --tasks inline tasks (4 clients at once) whose
# input or result is large, then forces a full GC and prints the heap still in use, the resident memory and how
# many requests failed (an OutOfMemoryError answers 500). Weft runs with ./weft's JVM options (heap at most 1 GB).
#
#   bench/heldmemory.sh --input-kb 4096 --tasks 300    # a large input, a small result ("ok")
#   bench/heldmemory.sh --result-kb 58 --tasks 10000   # the input comes back in the result (just under 64 KiB)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tasks=300 input_kb=0 result_kb=0
while [ $# -gt 0 ]; do
  case "$1" in
    --tasks) tasks=$2; shift 2 ;;
    --input-kb) input_kb=$2; shift 2 ;;
    --result-kb) result_kb=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar=${WEFT_JAR:-$root/server/target/weft.jar}
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
port=${WEFT_BENCH_PORT:-18195}
data=$(mktemp -d /tmp/weft-held.XXXXXX)
if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then echo "port $port is in use: set WEFT_BENCH_PORT" >&2; exit 1; fi
WEFT_ADMIN_TOKEN=bench-admin java $("$root/weft" --java-options) -jar "$jar" serve --port "$port" --data "$data/db" \
  >"$data/log" 2>&1 & weft=$!
trap 'kill $weft 2>/dev/null || true; wait $weft 2>/dev/null || true; rm -rf "$data"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done

api() { curl -sf -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' "$@"; }
key=$(api -d '{"name": "held"}' "http://127.0.0.1:$port/api/v1/keys" | sed 's/.*"key":"\([^"]*\)".*/\1/')
# start(text, tag) -> template -> end(out): the template is "{{start.text}}" when the result carries the input back,
# else "ok" (then only the tag reaches it)
python3 - "$data" "$input_kb" "$result_kb" <<'PY'
import json, sys
data, input_kb, result_kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
echo = result_kb > 0
flow = {"name": "held", "nodes": [
    {"id": "start", "type": "start", "settings": {"inputs": {"text": {"type": "string"}, "tag": {"type": "string"}}}},
    {"id": "t", "type": "template", "settings": {"template": "{{start.text}}" if echo else "ok"}},
    {"id": "end", "type": "end", "settings": {"outputs": {"out": {"type": "string"}}}}],
  "edges": [{"from_node": "start", "to_node": "t", "fields_mapping": [{"from_field": "tag", "to_field": "tag"}]},
            {"from_node": "t", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "out"}]}]}
json.dump(flow, open(data + "/flow.json", "w"))
size = (result_kb if echo else input_kb) * 1024
json.dump({"node_settings": {"start": {"data": {"text": "x" * size, "tag": "t"}}}}, open(data + "/body.json", "w"))
PY
flow=$(api -d @"$data/flow.json" "http://127.0.0.1:$port/api/v1/flows" | sed 's/^{"id":\([0-9]*\).*/\1/')
api -X POST "http://127.0.0.1:$port/api/v1/flows/$flow/publish" >/dev/null
seq "$tasks" | xargs -P 4 -I{} curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Basic $key" \
  -H 'Content-Type: application/json' --data-binary @"$data/body.json" \
  "http://127.0.0.1:$port/api/v1/scade/flow/$flow/execute" >"$data/codes"
jcmd $weft GC.run >/dev/null
used=$(jcmd $weft GC.heap_info | awk '/total/ {for (i = 1; i <= NF; i++) if ($i == "used") {sub(/K,?/, "", $(i+1)); s += $(i+1)}} END {print int(s / 1024)}')
echo "$tasks tasks, input $(( result_kb > 0 ? result_kb : input_kb )) KiB, result ${result_kb} KiB: $(grep -cv '^20[012]$' "$data/codes" || true) failed," \
  "heap in use after a full GC ${used} MB, RSS $(( $(awk '/VmRSS/ {print $2}' /proc/$weft/status) / 1024 )) MB," \
  "OutOfMemoryError in the log: $(grep -c OutOfMemoryError "$data/log" || true)"
