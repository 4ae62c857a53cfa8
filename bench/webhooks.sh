#!/usr/bin/env bash
# Webhook throughput beside execute's, in the same run: the same Weft process, the same flows (W1 echo, run inline;
# WD, a 20 ms delay node then a template, which runs on the worker and is waited for; W3, 3 parallel HTTP calls to
# the shared 50 ms upstream on port 18090), the same concurrency and the same load generator
# (../shared/bench/LoadGen.java), interleaved per concurrency so that each pair shares the machine's conditions.
# Modes: execute?wait=30 with a server key (the baseline); POST /hooks/{token} of a webhook with no signature that
# waits 30 s for the result; the same with GitHub's signature (X-Hub-Signature-256 over the fixed body, computed
# here with openssl); a webhook answering at once (202), then polled as execute's clients poll. Every webhook's
# rate limit is raised out of the way. Prints one JSON line per run, then each mode's throughput as a ratio of
# execute's at the same workload and concurrency. With --rounds N each concurrency runs the four modes N times, the
# order rotated each round (the machine is shared and noisy), and the ratios are of the modes' median throughputs.
#
#   bench/webhooks.sh [--duration 10] [--warmup 3] [--concurrency "1 8 64"] [--workloads "w1 wd w3"] [--rounds 1]
#
# WEFT_JAR runs another build of Weft (default server/target/weft.jar); WEFT_BENCH_PORT its port (default 18080).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${WEFT_SHARED:-$root/../shared/bench}
duration=10 warmup=3 concurrency="1 8 64" workloads="w1 wd" rounds=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar=${WEFT_JAR:-$root/server/target/weft.jar}
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
port=${WEFT_BENCH_PORT:-18080}
data=$(mktemp -d /tmp/weft-bench.XXXXXX)
admin=bench-admin
secret=bench-github-secret
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$data"; }
trap cleanup EXIT

if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then echo "port $port is in use: set WEFT_BENCH_PORT" >&2; exit 1; fi
if [[ " $workloads " == *" w3 "* ]]; then
  java -Dsun.net.httpserver.nodelay=true "$shared/Upstream.java" 18090 >/dev/null 2>&1 & pids+=($!)
fi
WEFT_ADMIN_TOKEN=$admin WEFT_HTTP_ALLOW_PRIVATE=true java -Xms64m -Xmx1g -XX:+UseSerialGC -jar "$jar" serve \
  --port "$port" --data "$data" >"$data.log" 2>&1 & pids+=($!)
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done
[[ " $workloads " != *" w3 "* ]] || until curl -sf "http://127.0.0.1:18090/count" >/dev/null; do sleep 0.1; done

base=http://127.0.0.1:$port
api() { curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "$@"; }
field() { sed 's/.*"'"$1"'":"\([^"]*\)".*/\1/'; }
key=$(api -d '{"name": "bench"}' "$base/api/v1/keys" | field key)
api -d '{"name": "bench-github", "type": "api_key", "secret": "'"$secret"'"}' "$base/api/v1/credentials" >/dev/null
limit='"rate_limit": {"per_second": 100000, "burst": 100000}'
declare -A flow inputs expect hook_wait hook_signed hook_accepted
inputs[w1]='{"name": "Ada"}'; expect[w1]='Hello Ada'
inputs[wd]='{"name": "Ada"}'; expect[wd]='Hello Ada'
inputs[w3]='{}';              expect[w3]='branch=c'
for w in $workloads; do
  flow[$w]=$(api -d @"$here/flows/$w.json" "$base/api/v1/flows" | sed 's/^{"id":\([0-9]*\).*/\1/')
  api -X POST "$base/api/v1/flows/${flow[$w]}/publish" >/dev/null
  hooks=$base/api/v1/flows/${flow[$w]}/webhooks
  hook_wait[$w]=$(api -d '{"name": "wait", "answer": {"mode": "wait", "wait_seconds": 30}, '"$limit"'}' "$hooks" | field url)
  hook_signed[$w]=$(api -d '{"name": "github", "signature": {"preset": "github", "secret_credential": "bench-github"},
    "answer": {"mode": "wait", "wait_seconds": 30}, '"$limit"'}' "$hooks" | field url)
  hook_accepted[$w]=$(api -d '{"name": "accepted", '"$limit"'}' "$hooks" | field url)
done

declare -A rate
run() {   # run LABEL URL BODY [LoadGen options...]
  local label=$1 url=$2 body=$3; shift 3
  printf '%s ' "$label"
  local line
  line=$(java "$shared/LoadGen.java" --url "$url" --body "$body" --header 'Content-Type: application/json' \
    --concurrency "$c" --duration "$duration" --warmup "$warmup" "$@")
  echo "$line"
  rate[$label]="${rate[$label]:-} $(echo "$line" | sed 's/.*"throughput":\([0-9.]*\).*/\1/')"
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for w in $workloads; do
  execute_body="{\"node_settings\": {\"start\": {\"data\": ${inputs[$w]}}}}"
  signature=sha256=$(printf '%s' "${inputs[$w]}" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.* //')
  poll=(--poll-url "$base/api/v1/task/{id}" --poll-ms 5 --header "Authorization: Basic $key")
  for c in $concurrency; do
    for ((r = 0; r < rounds; r++)); do
      for ((m = 0; m < 4; m++)); do
        case $(( (m + r) % 4 )) in
          0) run "$w c=$c execute?wait=30" "$base/api/v1/scade/flow/${flow[$w]}/execute?wait=30" "$execute_body" \
               "${poll[@]}" --expect "${expect[$w]}" ;;
          1) run "$w c=$c hook-wait" "${hook_wait[$w]}" "${inputs[$w]}" "${poll[@]}" --expect "${expect[$w]}" ;;
          2) run "$w c=$c hook-github-wait" "${hook_signed[$w]}" "${inputs[$w]}" "${poll[@]}" \
               --header "X-Hub-Signature-256: $signature" --expect "${expect[$w]}" ;;
          3) run "$w c=$c hook-accepted+poll" "${hook_accepted[$w]}" "${inputs[$w]}" "${poll[@]}" --expect "${expect[$w]}" ;;
        esac
      done
    done
  done
done
echo
echo "throughput as a ratio of execute?wait=30's (same workload, same concurrency, same process; medians of $rounds round(s)):"
for w in $workloads; do
  for c in $concurrency; do
    e=$(echo "${rate[$w c=$c execute?wait=30]}" | median)
    ratio() { echo "$(echo "${rate[$w c=$c $1]}" | median) / $e" | bc -l; }
    printf '%s c=%s: execute %s/s; hook-wait %.2f, hook-github-wait %.2f, hook-accepted+poll %.2f\n' "$w" "$c" "$e" \
      "$(ratio hook-wait)" "$(ratio hook-github-wait)" "$(ratio hook-accepted+poll)"
  done
done
