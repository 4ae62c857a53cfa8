#!/usr/bin/env bash
# Weft on one or many processes: W1 (echo) and W3 (3 parallel HTTP calls to a 50 ms upstream) through execute +
# poll with the shared load generator (../shared/bench/LoadGen.java), on these layouts:
#   sqlite-1  one process (role all) on the embedded SQLite database
#   pg-1      one process (role all) on PostgreSQL
#   pg-2      one api process + one worker process on PostgreSQL (the load generator talks to the api)
#   pg-3      one api process + two worker processes on PostgreSQL
# Each layout first runs every workload for --jit seconds, untimed (a fresh JVM spends seconds of CPU compiling).
# Each run then prints LoadGen's JSON line, the accept-to-start latency read from the database
# (bench/AcceptToStart.java) for the tasks accepted in the measured window, the CPU time that Weft's processes and
# PostgreSQL spent per task in that window, and the machine's load average (other work on a shared box shows there).
#
#   bench/cluster.sh [--duration 10] [--warmup 3] [--jit 5] [--concurrency "1 64"] [--poll-ms 2]
#                    [--workloads "w1 w3"] [--layouts "sqlite-1 pg-1 pg-2 pg-3"] [--db-url URL] [--no-pin]
#
# PostgreSQL: --db-url uses yours (each layout then shares that database); without it the script starts one from
# the embedded binaries the tests use (store's test class path), with fsync on, and makes a fresh database per layout.
# CPU: Weft's processes and PostgreSQL run on CPU 1, the load generator and the upstream on CPU 0 (taskset), so
# the load generator's work does not count against Weft; --no-pin lets everything share both cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${WEFT_SHARED:-$root/../shared/bench}
duration=10 warmup=3 jit=5 poll=2 concurrency="1 64" workloads="w1 w3" layouts="sqlite-1 pg-1 pg-2 pg-3" db_url="" pin=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --jit) jit=$2; shift 2 ;;
    --poll-ms) poll=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    --layouts) layouts=$2; shift 2 ;;
    --db-url) db_url=$2; shift 2 ;;
    --no-pin) pin=no; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
weft_cpu="" load_cpu=""
if [ "$pin" = yes ]; then weft_cpu="taskset -c 1"; load_cpu="taskset -c 0"; fi
jar=$root/server/target/weft.jar
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package -pl server -am)
tmp=$(mktemp -d /tmp/weft-cluster-bench.XXXXXX)
cp "$jar" "$tmp/weft.jar"; jar=$tmp/weft.jar   # a rebuild during the run does not change what runs
admin=bench-admin
pids=() weft_pids=() pg_pid=""
cleanup() {
  for p in "${weft_pids[@]}" "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${weft_pids[@]}"; do wait "$p" 2>/dev/null || true; done   # they give their leases back first
  exec 3>&- 2>/dev/null || true
  [ -n "$pg_pid" ] && { kill "$pg_pid" 2>/dev/null || true; wait "$pg_pid" 2>/dev/null || true; }
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # exit through the EXIT trap, so that every process started here is stopped

# ports of their own (bench/run.sh uses 18080 and 18090): WEFT_CLUSTER_PORT, then +1, +2; the upstream on +10
port0=${WEFT_CLUSTER_PORT:-18180}
upstream_port=$((port0 + 10))
for p in $port0 $((port0 + 1)) $((port0 + 2)) $upstream_port; do
  if curl -s -o /dev/null "http://127.0.0.1:$p/"; then echo "port $p is in use; set WEFT_CLUSTER_PORT" >&2; exit 1; fi
done
$load_cpu java "$shared/Upstream.java" "$upstream_port" >/dev/null 2>&1 & pids+=($!)
until curl -sf "http://127.0.0.1:$upstream_port/count" >/dev/null; do sleep 0.2; done

pg_prefix=$weft_cpu
source "$here/postgres.sh"
if [ -n "$db_url" ]; then new_pg_database() { url=$db_url; }; fi   # a PostgreSQL of the caller's

start_weft() {   # name port role [db-url]
  local name=$1 port=$2 role=$3 url=${4:-}
  mkdir -p "$tmp/$name"
  WEFT_ADMIN_TOKEN=$admin WEFT_HTTP_ALLOW_PRIVATE=true WEFT_DB_URL=$url $weft_cpu java ${WEFT_JAVA_OPTS:--Xmx512m} \
    -jar "$jar" serve --port "$port" --data "$tmp/$name" --role "$role" >"$tmp/$name.log" 2>&1 & weft_pids+=($!)
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do
    kill -0 "${weft_pids[-1]}" 2>/dev/null || { cat "$tmp/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  kill -0 "${weft_pids[-1]}" 2>/dev/null || { echo "$name exited; port $port taken?" >&2; cat "$tmp/$name.log" >&2; exit 1; }
}

stop_weft() {
  for p in "${weft_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${weft_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  weft_pids=()
}

tree() {   # a pid and all its descendants
  local p=$1; echo "$p"
  for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree "$c"; done
}

cpu_ticks() {   # user + system time (with reaped children) of the given pids, in clock ticks
  local total=0
  for p in "$@"; do
    [ -r /proc/"$p"/stat ] || continue
    total=$((total + $(sed 's/.*) //' /proc/"$p"/stat | awk '{print $12 + $13 + $14 + $15}')))
  done
  echo "$total"
}
pg_tree() {   # the postmaster (pg_ctl detaches it from the launcher: found by its port) and its backends
  [ -n "$pg_pid" ] || return 0
  local port; port=$(sed -n '1s#.*://[^:/]*:\([0-9]*\)/.*#\1#p' "$tmp/pg.out")
  local master; master=$(pgrep -f -- "bin/postgres -D .* -p $port( |$)" | head -1)
  [ -n "$master" ] && tree "$master"; true
}
hz=$(getconf CLK_TCK)

body_w1='{"node_settings": {"start": {"data": {"name": "Ada"}}}}'; expect_w1='Hello Ada'
body_w3="{\"node_settings\": {\"start\": {\"data\": {\"upstream\": \"http://127.0.0.1:$upstream_port\"}}}}"
expect_w3='branch=c'

api() { curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "$@"; }

for layout in $layouts; do
  case "$layout" in
    sqlite-1) start_weft all "$port0" all; url="jdbc:sqlite:$tmp/all/weft.db" ;;
    pg-1) new_pg_database; start_weft all "$port0" all "$url" ;;
    pg-2) new_pg_database; start_weft api "$port0" api "$url"; start_weft worker-1 $((port0 + 1)) worker "$url" ;;
    pg-3) new_pg_database; start_weft api "$port0" api "$url"; start_weft worker-1 $((port0 + 1)) worker "$url"
          start_weft worker-2 $((port0 + 2)) worker "$url" ;;
    *) echo "unknown layout $layout" >&2; exit 2 ;;
  esac
  base=http://127.0.0.1:$port0
  key=$(api -d '{"name": "bench"}' "$base/api/v1/keys" | sed 's/.*"key":"\([^"]*\)".*/\1/')
  declare -A flow
  for w in $workloads; do
    flow[$w]=$(api -d @"$here/flows/$w.json" "$base/api/v1/flows" | sed 's/^{"id":\([0-9]*\).*/\1/')
    api -X POST "$base/api/v1/flows/${flow[$w]}/publish" >/dev/null
  done
  loadgen() {   # workload concurrency duration warmup
    local body_var=body_$1 expect_var=expect_$1
    $load_cpu java "$shared/LoadGen.java" --url "$base/api/v1/scade/flow/${flow[$1]}/execute" \
      --body "${!body_var}" --header "Authorization: Basic $key" --header 'Content-Type: application/json' \
      --poll-url "$base/api/v1/task/{id}" --poll-ms "$poll" \
      --expect "${!expect_var}" --concurrency "$2" --duration "$3" --warmup "$4"
  }
  for w in $workloads; do loadgen "$w" 16 "$jit" 0 >/dev/null; done
  for w in $workloads; do
    for c in $concurrency; do
      t0=$(date +%s%3N)
      loadgen "$w" "$c" "$duration" "$warmup" >"$tmp/run.json" & lg=$!
      sleep "$warmup"
      from=$(date +%s%3N); weft0=$(cpu_ticks "${weft_pids[@]}"); pg0=$(cpu_ticks $(pg_tree))
      wait "$lg"
      to=$(date +%s%3N); weft1=$(cpu_ticks "${weft_pids[@]}"); pg1=$(cpu_ticks $(pg_tree))
      latency=$(java -cp "$jar" "$here/AcceptToStart.java" "$url" "${flow[$w]}" "$from" "$to" 2>/dev/null | tail -1)
      n=$(echo "$latency" | sed 's/.*"tasks":\([0-9]*\).*/\1/')
      per_task() { awk -v d="$1" -v hz="$hz" -v n="$n" 'BEGIN { printf "%.2f", n ? d * 1000 / hz / n : 0 }'; }
      echo "$layout $w c=$c $(cat "$tmp/run.json") accept_to_start=$latency" \
        "cpu_ms_per_task={\"weft\":$(per_task $((weft1 - weft0))),\"postgres\":$(per_task $((pg1 - pg0))),\"ticks\":[$((weft1 - weft0)),$((pg1 - pg0))],\"hz\":$hz}" \
        "load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)"
    done
  done
  stop_weft
done
