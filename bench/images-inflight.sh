#!/usr/bin/env bash
# Many image tasks in flight at once (issue 13: 1,000 image steps, each waiting on a fake images API that answers in
# 30 s: no thread held per waiting step, server RSS within 500 MB): starts `weft serve` (embedded SQLite, fresh data
# folder), then bench/ImagesInFlight.java, which runs the slow fake on loopback, publishes start -> image -> end,
# fires the executes and samples the server's RSS and threads while they wait. Prints a summary and one JSON line;
# exits non-zero unless every task completed with its image.
#
#   bench/images-inflight.sh [tasks=1000] [delay_ms=30000] [--warmup 10] [--senders 16]
#
# Launch options and environment: bench/inflight.sh.
exec "$(dirname "$0")/inflight.sh" images "$@"
