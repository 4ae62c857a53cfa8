#!/usr/bin/env bash
# Durable agent runs after kill -9 (issue 11). Runs AgentCrashTest N times (default 20): the real `agent` node, a
# fake OpenAI-compatible model and an HTTP tool on loopback.
# Each run starts a real `weft serve` on a fresh data folder, kills it with SIGKILL when the fake model receives its
# k-th request (k = 2..5 in turn, before answering), starts a second process on the same data, waits for the task,
# and counts the model requests and tool calls whose call had already been answered. Prints the totals (target 0, 0).
#
#   bench/agent-crash.sh [runs]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
test=AgentCrashTest
cd "$root"
mvn -B -q -pl server -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -Dweft.crash.runs="$runs" \
  >/dev/null
grep -h "crash:" "server/target/surefire-reports/dev.weft.e2e.$test-output.txt"
