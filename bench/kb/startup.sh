#!/bin/bash
# Time from "java -jar JAR serve" on a fresh data folder until /health answers 200, and VmRSS 2 s later.
# usage: bash bench/kb/startup.sh JAR PORT

JAR=$1; PORT=$2; D=$(mktemp -d)
t0=$(date +%s%N)
java -jar $JAR serve --port $PORT --data $D > $D/log 2>&1 &
PID=$!
until curl -sf http://127.0.0.1:$PORT/health >/dev/null; do sleep 0.05; done
t1=$(date +%s%N)
sleep 2
echo "startup_ms=$(( (t1-t0)/1000000 )) rss_kb=$(grep VmRSS /proc/$PID/status | awk '{print $2}')"
kill $PID; wait $PID 2>/dev/null; rm -rf $D
