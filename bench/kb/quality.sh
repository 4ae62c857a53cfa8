#!/bin/bash
# Retrieval quality and scale (issue 12), in-process on the kb module's classes (no server):
#   bash bench/kb/quality.sh questions [ARGS]   recall@5 / MRR of vector-only, BM25-only and hybrid on
#                                               bench/kb/quality/questions.json over docs/*.md + README.md
#   bash bench/kb/quality.sh ann [N CLUSTERS NOISE QUERIES]   ANN recall@10 vs exact, search p50/p99
#   bash bench/kb/quality.sh embed [N]           one short query embedded by the local model, p50/p99
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
mvn -B -q -o -pl kb -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
    -Dmdep.includeScope=runtime >/dev/null
CP="$ROOT/kb/target/classes:$(cat "$ROOT/kb/target/cp.txt")"
case "$1" in
questions) shift; taskset -c 0,1 java -Xmx1g -cp "$CP" "$ROOT/bench/kb/Quality.java" "$ROOT" "$@" 2>/dev/null ;;
ann) shift; taskset -c 0,1 java -Xmx2g -cp "$CP" "$ROOT/bench/kb/AnnRecall.java" "$@" ;;
embed) shift; taskset -c 0,1 java -Xmx1g -cp "$CP" "$ROOT/bench/kb/QueryEmbed.java" "$@" 2>/dev/null ;;
*) echo "usage: quality.sh questions | ann [N CLUSTERS NOISE QUERIES] | embed [N]"; exit 2 ;;
esac
