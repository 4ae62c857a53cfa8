#!/usr/bin/env bash
# Measures the image Maven built: its archive and layer sizes, its size unpacked, and the time from starting its
# entrypoint to the first 200 from GET /ready (the layers unpacked and run under bubblewrap, as ImageIT does),
# beside the same jar on this machine's JDK (the baseline). Usage: deploy/image/measure.sh [image.tar] [runs]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
tar=${1:-$here/deploy/target/weft-image.tar}
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/oci" "$work/root/proc" "$work/root/dev"
tar -xf "$tar" -C "$work/oci"
manifest=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['manifests'][0]['digest'][7:])" "$work/oci/index.json")
echo "archive: $(stat -c %s "$tar") bytes ($(du -m "$tar" | cut -f1) MiB)"
python3 - "$work/oci/blobs/sha256" "$manifest" <<'PY'
import json, os, sys
blobs, digest = sys.argv[1], sys.argv[2]
m = json.load(open(os.path.join(blobs, digest)))
c = json.load(open(os.path.join(blobs, m["config"]["digest"][7:])))
for layer, history in zip(m["layers"], c["history"]):
    print(f"  layer {history.get('comment', '?'):12s} {layer['size'] / 2**20:8.1f} MiB compressed")
PY
for layer in $(python3 -c "import json,sys; [print(l['digest'][7:]) for l in json.load(open(sys.argv[1]))['layers']]" \
    "$work/oci/blobs/sha256/$manifest"); do
  tar --warning=no-unknown-keyword -xzf "$work/oci/blobs/sha256/$layer" -C "$work/root"
done
echo "unpacked: $(du -sm "$work/root" | cut -f1) MiB (runtime $(du -sm "$work/root/opt/java" | cut -f1) MiB," \
     "libraries $(du -smc "$work/root/lib" "$work/root/lib64" | tail -1 | cut -f1) MiB," \
     "weft.jar $(du -sm "$work/root/opt/weft/weft.jar" | cut -f1) MiB)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# milliseconds from launching "$@" to the first 200 from /ready on $port
time_to_ready() {
  local port=$1; shift
  local start; start=$(date +%s%N)
  "$@" >"$work/run.log" 2>&1 &
  local pid=$!
  until curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" 2>/dev/null | grep -q 200; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/run.log" >&2; return 1; }
    sleep 0.01
  done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
  ! kill -0 "$pid" 2>/dev/null
}
entrypoint=(/opt/java/bin/java -XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError
            -Djava.awt.headless=true -Djava.io.tmpdir=/tmp -jar /opt/weft/weft.jar serve)
in_image() {   # port data (exec: the background job's pid is the process's own, so kill stops it)
  exec bwrap --ro-bind "$work/root" / --bind "$2" /data --proc /proc --dev /dev --tmpfs /tmp --unshare-user \
    --uid 10001 --gid 10001 --unshare-pid --die-with-parent --clearenv --setenv WEFT_HOST 127.0.0.1 \
    --setenv WEFT_PORT "$1" --setenv WEFT_DATA /data --chdir /data -- "${entrypoint[@]}"
}
on_host() {    # port data
  exec env -i PATH="$PATH" WEFT_HOST=127.0.0.1 WEFT_PORT="$1" WEFT_DATA="$2" java -XX:+UseSerialGC \
    -XX:MaxRAMPercentage=75 -Djava.awt.headless=true -jar "$work/root/opt/weft/weft.jar" serve
}
report() {   # label, then the times
  local label=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v label="$label" '{t[NR]=$1} END {printf "%-40s median %5d ms  (min %d, max %d, %d runs)\n", label, t[int((NR+1)/2)], t[1], t[NR], NR}'
}
for where in in_image on_host; do
  first=(); again=()
  for i in $(seq 1 "$runs"); do
    data="$work/data-$where-$i"; mkdir -p "$data"
    first+=("$(p=$(free_port); time_to_ready "$p" $where "$p" "$data")")
    again+=("$(p=$(free_port); time_to_ready "$p" $where "$p" "$data")")
  done
  report "$where: first start (empty /data)" "${first[@]}"
  report "$where: restart (existing /data)" "${again[@]}"
done
