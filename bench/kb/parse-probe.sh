#!/bin/bash
# Tika vs PDFBox+jsoup for knowledge bases (issue 12): the jars each needs, and their parse speed on the same
# 100-page PDF (made by PDFBox) and 212 kB of HTML. Usage: bash bench/kb/parse-probe.sh
set -e
cd "$(dirname "$0")"
W=$(mktemp -d)
for set in tika light; do
  mkdir -p $W/$set && cp $set-pom.xml $W/$set/pom.xml
  (cd $W/$set && mvn -B -q dependency:copy-dependencies -DoutputDirectory=lib)
  echo "$set: $(ls $W/$set/lib | wc -l) jars, $(du -sh $W/$set/lib | cut -f1)"
done
java -cp "$W/tika/lib/*" TikaProbe.java tika 2>/dev/null | grep round
java -cp "$W/light/lib/*" LightProbe.java 2>/dev/null | grep round
rm -rf $W /tmp/weft-parse-probe.pdf
