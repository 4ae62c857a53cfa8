#!/usr/bin/env bash
# Assembles the root filesystem that Jib layers onto the empty ("scratch") base: a Java runtime made by jlink
# from this machine's JDK 17, the shared libraries that runtime needs copied from the installed Debian packages
# that own them (listed with their versions in /usr/share/weft/base-packages.txt), a non-root user, /data and
# /tmp, and Weft's jar. No registry is contacted. Usage: base.sh <weft.jar> <output folder>
set -euo pipefail
jar=$1
out=$(mkdir -p "$2" && cd "$2" && pwd)
[ -f "$jar" ] || { echo "base.sh: $jar is missing: build the server first (mvn -B -DskipTests package)" >&2; exit 1; }
java_home=${WEFT_IMAGE_JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
# The modules Weft uses (jdeps --print-module-deps on weft.jar) and those reached only by reflection or service
# lookup: jdk.crypto.ec (TLS key exchange), jdk.zipfs (zip file systems), jdk.charsets (non-UTF charsets).
modules=java.base,java.compiler,java.desktop,java.instrument,java.naming,java.net.http,java.rmi,java.security.jgss
modules=$modules,java.sql,jdk.dynalink,jdk.management,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.charsets
jar_abs=$(readlink -f "$jar")
# the Linux x86-64 native libraries inside weft.jar (SQLite's driver, ONNX Runtime, tokenizers, JNA; extracted at
# run time): their shared libraries must be in the image too
natives_in_jar=$("$java_home/bin/jar" tf "$jar_abs" | grep -E '\.so$' | grep -iE 'linux[-/]?(x86_64|x64|x86-64)' \
  | grep -iv musl || true)
stamp="$java_home $("$java_home/bin/java" -version 2>&1 | head -1) $modules $(sha256sum "$0" | cut -c1-16)"
stamp="$stamp $(echo "$natives_in_jar" | sha256sum | cut -c1-16)"

mkdir -p "$out"
if [ "$(cat "$out.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$out/opt/java" "$out/lib" "$out/lib64" "$out/usr" "$out/etc"
  mkdir -p "$out/opt"
  # no debug symbols, man pages or headers; the X11, splash-screen and sound libraries are left out: Weft runs
  # headless (-Djava.awt.headless=true), so they are never loaded; a CDS archive for a faster start
  "$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so' \
    --generate-cds-archive --output "$out/opt/java" >/dev/null
  # Debian's JDK reads its CA certificates from ca-certificates-java's store: the runtime gets a copy
  if [ -f /etc/ssl/certs/java/cacerts ]; then cp -L /etc/ssl/certs/java/cacerts "$out/opt/java/lib/security/cacerts"; fi

  # the closure of the shared libraries that the runtime's binaries and the jar's native libraries link,
  # resolved on this machine
  natives=$(mktemp -d)
  trap 'rm -rf "$natives"' EXIT
  if [ -n "$natives_in_jar" ]; then (cd "$natives" && "$java_home/bin/jar" xf "$jar_abs" $natives_in_jar); fi
  declare -A seen=()
  queue=$(find "$out/opt/java" "$natives" -type f \( -name '*.so' -o -path '*/bin/*' \))
  libs=()
  while [ -n "$queue" ]; do
    next=""
    for file in $queue; do
      for lib in $(ldd "$file" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'); do
        case $lib in "$out"/*) continue ;; esac   # the runtime's own libraries
        [ -n "${seen[$lib]:-}" ] && continue
        seen[$lib]=1
        libs+=("$lib")
        next="$next $lib"
      done
    done
    queue=$next
  done
  packages=()
  for lib in "${libs[@]}"; do
    # the file, under the very path the loader asks for (the interpreter /lib64/ld-linux-x86-64.so.2, then the
    # sonames in /lib/x86_64-linux-gnu, on its default search path): Jib copies no symbolic links
    real=$(readlink -f "$lib")
    mkdir -p "$out$(dirname "$lib")"
    cp "$real" "$out$lib"
    # dpkg knows a file by the path its package ships it under: /lib/... before Debian merged /usr
    owner=$( (dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null || true) | head -1 | cut -d: -f1)
    [ -n "$owner" ] && packages+=("$owner")
  done

  mkdir -p "$out/etc" "$out/usr/share/weft"
  printf '%s\n' "${packages[@]}" | sort -u | xargs -r dpkg-query -W -f='${Package} ${Version}\n' \
    > "$out/usr/share/weft/base-packages.txt"
  echo "$stamp" > "$out.stamp"
fi

# the user Weft runs as (10001, no shell, home /data), name resolution, and the folders it writes
cat > "$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
weft:x:10001:10001:Weft:/data:/sbin/nologin
PASSWD
cat > "$out/etc/group" <<'GROUP'
root:x:0:
weft:x:10001:
GROUP
echo 'hosts: files dns' > "$out/etc/nsswitch.conf"
mkdir -p "$out/data" "$out/tmp" "$out/opt/weft"
cp "$jar" "$out/opt/weft/weft.jar"
