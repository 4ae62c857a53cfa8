#!/usr/bin/env bash
# Schedule accuracy (issue 16): every-second schedules ("* * * * * *") of the hello flow on 1 and on 3 Weft processes
# (role all) sharing one PostgreSQL (the embedded one the tests use, store's test class path, fsync on); then
# bench/ScheduleAccuracy.java reads from the database the delay from each tick's due time to its task's start
# (p50/p99/max), and the ticks run twice or lost.
#
#   bench/schedules.sh [--processes "1 3"] [--schedules 10] [--ticks 1000] [--warmup-seconds 10]
#
# --schedules every-second schedules run at once, so --ticks ticks take ticks/schedules seconds after the warm-up.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
layouts="1 3" schedules=10 ticks=1000 warmup=10
while [ $# -gt 0 ]; do
  case "$1" in
    --processes) layouts=$2; shift 2 ;;
    --schedules) schedules=$2; shift 2 ;;
    --ticks) ticks=$2; shift 2 ;;
    --warmup-seconds) warmup=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar=${WEFT_JAR:-$root/server/target/weft.jar}
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package -pl server -am)
tmp=$(mktemp -d /tmp/weft-schedules.XXXXXX)
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

source "$here/postgres.sh"
port0=${WEFT_SCHEDULES_PORT:-18380}
for n in $layouts; do
  new_pg_database
  started=()
  for i in $(seq 1 "$n"); do
    port=$((port0 + 10 * pg_urls + i))
    mkdir -p "$tmp/$n-$i"
    WEFT_ADMIN_TOKEN=$admin WEFT_DB_URL=$url WEFT_SCHEDULE_MIN_INTERVAL=1s java ${WEFT_JAVA_OPTS:--Xmx512m} \
      -jar "$jar" serve --port "$port" --data "$tmp/$n-$i" --role all >"$tmp/$n-$i.log" 2>&1 & pids+=($!)
    started+=($!)
    until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do
      kill -0 "${pids[-1]}" 2>/dev/null || { cat "$tmp/$n-$i.log" >&2; exit 1; }
      sleep 0.1
    done
  done
  base=http://127.0.0.1:$((port0 + 10 * pg_urls + 1))
  api() { curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "$@"; }
  flow=$(api -d @"$root/examples/hello.json" "$base/api/v1/flows" | sed 's/^{"id":\([0-9]*\).*/\1/')
  api -X POST "$base/api/v1/flows/$flow/publish" >/dev/null
  ids=()
  for s in $(seq 1 "$schedules"); do
    ids+=("$(api -d "{\"cron\": \"* * * * * *\", \"inputs\": {\"name\": \"s$s\"}}" \
      "$base/api/v1/flows/$flow/schedules" | sed 's/^{"id":\([0-9]*\).*/\1/')")
  done
  sleep "$warmup"                                             # JIT and pools warm; these ticks are not counted
  from=$(($(date +%s%3N) + 1000))
  sleep $(( (ticks + schedules - 1) / schedules + 1 ))        # the measured window: ticks/schedules seconds
  to=$(( from + (ticks / schedules - 1) * 1000 + 999 ))
  for id in "${ids[@]}"; do
    api -X PUT -d '{"cron": "* * * * * *", "inputs": {"name": "off"}, "enabled": false}' \
      "$base/api/v1/flows/$flow/schedules/$id" >/dev/null
  done
  sleep 3                                                     # the last ticks' tasks finish
  echo "== $n process(es), $schedules every-second schedules, window $from..$to"
  java -cp "$jar" "$here/ScheduleAccuracy.java" "$url" "$flow" "$from" "$to"
  for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
done
