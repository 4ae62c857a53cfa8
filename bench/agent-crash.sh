#!/usr/bin/env bash
# Durable agent runs after kill -9 (issue 11): runs server's JournalCrashTest N times (default 20). Each run starts a
# real `weft serve` on a fresh data folder with a test-only loop node (a plugin jar: model call, tool call, five
# iterations, each call through the step's journal), kills it with SIGKILL when the fake model receives its k-th
# request (k = 2..5 in turn, before answering), starts a second process on the same data, and counts the model
# and tool requests whose call had already been answered. Prints the totals (target: 0 and 0).
#
#   bench/agent-crash.sh [runs]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
cd "$root"
mvn -B -q -pl server -am test -Dtest=JournalCrashTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dweft.crash.runs="$runs" >/dev/null
grep -h "weft.crash:" server/target/surefire-reports/dev.weft.e2e.JournalCrashTest-output.txt
