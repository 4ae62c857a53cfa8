#!/bin/bash
# Knowledge-base figures (issue 12). Needs the server jar (mvn -B package -DskipTests -pl server -am).
#   bash bench/kb/kb.sh parse            parse + chunk speed per format, one core (in-process, the jar's classes)
#   bash bench/kb/kb.sh ingest [COPIES]  ingest chunks/s with the local model on 2 cores, peak RSS, search p50/p99,
#                                        through the API; the corpus is docs/*.md and README.md, COPIES times (default 3)
#   bash bench/kb/kb.sh scale [DOCS PER SEARCHES]  DOCS x PER chunks (default 1000 x 100) embedded by a fake
#                                        OpenAI-compatible provider on loopback, then search p50/p99 through the API;
#                                        KB_SCALE_OPTS="-Dtokens=256" sets the KB's chunk size (default 64 tokens),
#                                        "-Dlocal=true" embeds with the local model instead of the fake provider
# The server runs with ./weft's JVM options (`./weft --java-options`: WEFT_JAVA_OPTS, else its default).
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case "$1" in
parse)
  taskset -c 0 java -cp "$ROOT/server/target/weft.jar" "$ROOT/bench/kb/ParseSpeed.java" 2>/dev/null ;;
ingest)
  COPIES=${2:-3}
  D=$(mktemp -d); PORT=18099; TOKEN=bench-admin
  WEFT_ADMIN_TOKEN=$TOKEN taskset -c 0,1 java $("$ROOT/weft" --java-options) -jar "$ROOT/server/target/weft.jar" serve --port $PORT --data "$D" > "$D/log" 2>&1 &
  PID=$!
  until curl -sf http://127.0.0.1:$PORT/health >/dev/null; do sleep 0.2; done
  echo "idle RSS: $(grep VmRSS /proc/$PID/status | awk '{print $2}') kB"
  ( peak=0; while kill -0 $PID 2>/dev/null; do r=$(grep VmRSS /proc/$PID/status 2>/dev/null | awk '{print $2}'); \
      [ -n "$r" ] && [ "$r" -gt "$peak" ] && peak=$r && echo $peak > "$D/peak"; sleep 0.2; done ) &
  SAMPLER=$!
  java "$ROOT/bench/kb/KbLoad.java" http://127.0.0.1:$PORT $TOKEN "$COPIES" 500 "$ROOT"/docs/*.md "$ROOT/README.md"
  echo "peak RSS while ingesting and searching: $(cat "$D/peak") kB"
  kill $PID; wait $PID 2>/dev/null || true; kill $SAMPLER 2>/dev/null || true
  rm -rf "$D" ;;
scale)
  D=$(mktemp -d); PORT=18098; TOKEN=bench-admin
  WEFT_ADMIN_TOKEN=$TOKEN taskset -c 0,1 java $("$ROOT/weft" --java-options) -jar "$ROOT/server/target/weft.jar" serve --port $PORT --data "$D" > "$D/log" 2>&1 &
  PID=$!
  until curl -sf http://127.0.0.1:$PORT/health >/dev/null; do sleep 0.2; done
  ( peak=0; while kill -0 $PID 2>/dev/null; do r=$(grep VmRSS /proc/$PID/status 2>/dev/null | awk '{print $2}'); \
      [ -n "$r" ] && [ "$r" -gt "$peak" ] && peak=$r && echo $peak > "$D/peak"; sleep 0.2; done ) &
  SAMPLER=$!
  java $KB_SCALE_OPTS "$ROOT/bench/kb/ApiScale.java" http://127.0.0.1:$PORT $TOKEN "${2:-1000}" "${3:-100}" "${4:-500}" "$D/log"
  echo "peak RSS: $(cat "$D/peak") kB; index on disk: $(du -sm "$D/kb" | cut -f1) MB"
  kill $PID; wait $PID 2>/dev/null || true; kill $SAMPLER 2>/dev/null || true
  rm -rf "$D" ;;
*) echo "usage: kb.sh parse | ingest [COPIES] | scale [DOCS PER SEARCHES]"; exit 2 ;;
esac
