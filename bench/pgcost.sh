#!/usr/bin/env bash
# What a task costs PostgreSQL, counted by the server (bench/PgCost.java): the one-call flow (bench/flows/call1.json,
# start -> one HTTP GET to a 50 ms upstream -> end) through `execute?wait=30`, on three Weft processes sharing one
# PostgreSQL: one api process (which the requests go to) and two workers, so every waited-on task runs in another
# process than the one that holds the wait. PostgreSQL is the embedded one the tests use (store's test class path),
# started with fsync on and pg_stat_statements loaded.
#
#   bench/pgcost.sh [--runs "1:1:300 16:1:1500 1:4:300 16:4:1500"] [--idle-seconds 20]
#
# --runs lists concurrency:waiters:tasks (waiters > 1: execute, then that many GET /task/{id}?wait=30 per task).
# Each run first measures an idle window (--idle-seconds) of the same processes; see bench/PgCost.java.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${WEFT_SHARED:-$root/../shared/bench}
runs="1:1:300 16:1:1500 1:4:300 16:4:1500" idle=20
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --idle-seconds) idle=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar=${WEFT_JAR:-$root/server/target/weft.jar}
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package -pl server -am)
tmp=$(mktemp -d /tmp/weft-pgcost.XXXXXX)
cp "$jar" "$tmp/weft.jar"; jar=$tmp/weft.jar
admin=bench-admin
pids=() pg_pid=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  exec 3>&- 2>/dev/null || true
  [ -n "$pg_pid" ] && { kill "$pg_pid" 2>/dev/null || true; wait "$pg_pid" 2>/dev/null || true; }
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port0=${WEFT_PGCOST_PORT:-18280}
upstream_port=$((port0 + 10))
java "$shared/Upstream.java" "$upstream_port" >/dev/null 2>&1 & pids+=($!)
until curl -sf "http://127.0.0.1:$upstream_port/count" >/dev/null; do sleep 0.2; done

pg_options=--statements
source "$here/postgres.sh"
new_pg_database
db=$(echo "$url" | sed 's#.*://[^/]*/\([^?]*\).*#\1#')
admin_url=$(echo "$url" | sed "s#/$db#/postgres#")

start_weft() {   # name port role
  mkdir -p "$tmp/$1"
  WEFT_ADMIN_TOKEN=$admin WEFT_HTTP_ALLOW_PRIVATE=true WEFT_DB_URL=$url java ${WEFT_JAVA_OPTS:--Xmx512m} \
    -jar "$jar" serve --port "$2" --data "$tmp/$1" --role "$3" >"$tmp/$1.log" 2>&1 & pids+=($!)
  until curl -sf "http://127.0.0.1:$2/health" >/dev/null; do
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$tmp/$1.log" >&2; exit 1; }
    sleep 0.1
  done
}
start_weft api "$port0" api
start_weft worker-1 $((port0 + 1)) worker
start_weft worker-2 $((port0 + 2)) worker
base=http://127.0.0.1:$port0
api() { curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "$@"; }
key=$(api -d '{"name": "bench"}' "$base/api/v1/keys" | sed 's/.*"key":"\([^"]*\)".*/\1/')
flow=$(api -d @"$here/flows/call1.json" "$base/api/v1/flows" | sed 's/^{"id":\([0-9]*\).*/\1/')
api -X POST "$base/api/v1/flows/$flow/publish" >/dev/null
body="{\"node_settings\": {\"start\": {\"data\": {\"upstream\": \"http://127.0.0.1:$upstream_port\"}}}}"
for r in $runs; do
  IFS=: read -r c w tasks <<<"$r"
  echo "== concurrency $c, waiters per task $w, $tasks tasks"
  java -cp "$jar" "$here/PgCost.java" --base "$base" --key "$key" --flow "$flow" --body "$body" \
    --admin-url "$admin_url" --db "$db" --tasks "$tasks" --concurrency "$c" --waiters "$w" --idle-seconds "$idle"
done
grep -h "lost its lease" "$tmp"/*.log | head -5 | sed 's/^/log: /' || true
echo "lease-lost warnings: $(cat "$tmp"/*.log | grep -c 'lost its lease' || true)"
