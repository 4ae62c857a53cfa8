#!/usr/bin/env bash
# Makes previous-release.tar.gz: a data folder written by the release before users (commit 1cdaf62, migrations up
# to V13, the single admin password and admin token files), with a published flow, a server key, a credential, a
# finished task and a stored file. UpgradeTest starts today's server on a copy of it.
# Usage: make-fixture.sh <checkout of 1cdaf62 compiled with `mvn -pl server -am compile -Dexec.skip=true`> <classpath file>
set -euo pipefail
prev=$1; cpfile=$2; here=$(cd "$(dirname "$0")" && pwd)
data=$(mktemp -d)/data; port=18531
cp=$(tr ':' '\n' < "$cpfile" | grep -v '/dev/weft/' | paste -sd:)
cp="$prev/server/target/classes:$prev/engine/target/classes:$prev/node-api/target/classes:$prev/builtin/target/classes:$prev/store/target/classes:$prev/kb/target/classes:$cp"
WEFT_MASTER_KEY= java -cp "$cp" dev.weft.cli.Weft serve --port $port --data "$data" > "$data.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.2; done
token=$(cat "$data/admin-token")
api() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
# the first visit's admin password, as the previous UI set it (from loopback: no token needed)
curl -sf -H 'Content-Type: application/json' -d '{"password": "the old admin password"}' \
  "http://127.0.0.1:$port/api/v1/session/setup" > /dev/null
api -d @"$prev/examples/hello.json" "http://127.0.0.1:$port/api/v1/flows" > /dev/null
api -X POST "http://127.0.0.1:$port/api/v1/flows/1/publish" > /dev/null
key=$(api -d '{"name": "old key"}' "http://127.0.0.1:$port/api/v1/keys" | sed 's/.*"key":"\([^"]*\)".*/\1/')
echo -n "$key" > "$here/previous-release.key"
api -d '{"name": "old-secret", "secret": "s3cr3t-value", "hosts": ["example.com"]}' "http://127.0.0.1:$port/api/v1/credentials" > /dev/null
api -d "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ann\"}}}}" "http://127.0.0.1:$port/api/v1/scade/flow/1/execute?wait=30" > /dev/null
echo "a file the old release stored" > "$data.txt"
curl -sf -H "Authorization: Bearer $token" -F file=@"$data.txt" "http://127.0.0.1:$port/api/v1/files" > "$here/previous-release.file.json"
kill $pid; wait $pid || true; trap - EXIT
tar -czf "$here/previous-release.tar.gz" -C "$(dirname "$data")" data
echo "made $here/previous-release.tar.gz from $data"
