#!/bin/bash
# Two Weft processes (role all, each its own data folder) on one PostgreSQL started from the embedded binaries the
# tests use (fsync on): a chunk made ready through one is searched through the other (issue 12).
#   bash bench/kb/two.sh [ROUNDS]      (needs the server jar: mvn -B package -DskipTests -pl server -am)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${1:-20}
T=$(mktemp -d); TOKEN=bench-admin; PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$T"; }
trap cleanup EXIT
(cd "$ROOT" && mvn -q -o -pl store -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$T/store.cp" >/dev/null)
mkfifo "$T/pg.in"
java -cp "$ROOT/store/target/test-classes:$(cat "$T/store.cp")" dev.weft.store.testing.TestPostgres <"$T/pg.in" >"$T/pg.out" 2>"$T/pg.err" &
PIDS+=($!)
exec 3>"$T/pg.in"
echo new >&3
until [ -s "$T/pg.out" ]; do sleep 0.2; done
URL=$(head -1 "$T/pg.out")
for i in 1 2; do
  WEFT_ADMIN_TOKEN=$TOKEN WEFT_DB_URL=$URL java -Xmx512m -jar "$ROOT/server/target/weft.jar" serve --port $((18200 + i)) \
    --data "$T/p$i" > "$T/p$i.log" 2>&1 &
  PIDS+=($!)
done
for i in 1 2; do until curl -sf http://127.0.0.1:$((18200 + i))/health >/dev/null; do sleep 0.2; done; done
java "$ROOT/bench/kb/TwoProcesses.java" http://127.0.0.1:18201 http://127.0.0.1:18202 $TOKEN "$ROUNDS"
exec 3>&-
