#!/usr/bin/env bash
# Builds Weft's container image without a Docker daemon: the server's jar, a Java runtime made by jlink with the
# Debian libraries it needs (deploy/image/base.sh), layered by Jib onto an empty base into an OCI image archive.
# Prints the archive's path; load it with `docker load -i <path>` or `podman load -i <path>`.
# Options are passed to Maven (e.g. -Dimage.name=registry.example.com/weft:0.1.0 -o).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
mvn -B -q -Pimage -DskipTests -pl deploy -am package "$@" >&2
echo "$here/deploy/target/weft-image.tar"
