#!/usr/bin/env bash
# Saves, publishes and runs a chain at the node limit (10,000 nodes: start, 9,998 merge nodes, end) on a fresh
# server, printing each request's time: bench/strict/chain.sh [port]. Needs server/target/weft.jar (mvn package).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
port=${1:-18480}
data=$(mktemp -d)
chain=$data/chain.json
python3 - "$chain" <<'PY'
import json, sys
n = 9998
ids = ["start"] + ["m%d" % i for i in range(1, n + 1)] + ["end"]
nodes = ([{"id": "start", "type": "start", "settings": {"inputs": {"n": {"type": "integer"}}, "data": {"n": 0}}}]
         + [{"id": "m%d" % i, "type": "merge", "settings": {}} for i in range(1, n + 1)]
         + [{"id": "end", "type": "end", "settings": {"outputs": {"n": {"type": "object"}}}}])
edges = [{"from_node": a, "to_node": b, "fields_mapping": [{"from_field": "n", "to_field": "n"}]}
         for a, b in zip(ids, ids[1:])]
json.dump({"name": "chain", "nodes": nodes, "edges": edges}, open(sys.argv[1], "w"))
PY
WEFT_ADMIN_TOKEN=bench java -Xmx1g -jar "$here/server/target/weft.jar" serve --port "$port" --data "$data" >"$data/log" 2>&1 &
pid=$!
trap 'kill $pid; rm -rf "$data"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
api=http://127.0.0.1:$port/api/v1
auth='Authorization: Bearer bench'
echo "body bytes: $(wc -c <"$chain")"
for i in 1 2 3; do
  out=$(curl -s -o "$data/created" -w '%{http_code} %{time_total}' -X POST "$api/flows" -H "$auth" \
        -H 'Content-Type: application/json' --data-binary @"$chain")
  id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$data/created")
  echo "save #$i: $out s"
done
echo "publish: $(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST "$api/flows/$id/publish" -H "$auth") s"
echo "run (answered finished, pure chain run inline): $(curl -s -o "$data/task" -w '%{http_code} %{time_total}' \
  -X POST "$api/scade/flow/$id/execute" -H "$auth" -H 'Content-Type: application/json' \
  --data '{"node_settings": {"start": {"data": {"n": 7}}}}') s; result $(python3 -c \
  'import json,sys; t=json.load(open(sys.argv[1])); print(t["state"], t["result"])' "$data/task")"
echo "one node over the limit: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["nodes"].append({"id":"x","type":"merge","settings":{}}); print(json.dumps(d))' "$chain" \
  | curl -s -w ' %{http_code} %{time_total}s' -X POST "$api/flows" -H "$auth" -H 'Content-Type: application/json' --data-binary @- | cut -c1-400)"
echo "trailing text (the docs/api.md example): $(curl -s -X POST "$api/flows" -H "$auth" -H 'Content-Type: application/json' \
  --data '{"name": "x", "nodes": [], "edges": []} garbage')"
