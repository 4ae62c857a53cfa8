#!/usr/bin/env bash
# Many model predictions in flight at once (issue 13: 1,000 predictions, each on a fake Replicate that finishes it
# 30 s after its create): starts `weft serve` (embedded SQLite, fresh data folder), then bench/ModelInFlight.java,
# which runs the fake prediction API on loopback, publishes a start -> model -> end flow, fires the executes and
# samples the server's RSS and threads while the predictions run. Prints a summary and one JSON line; exits non-zero
# unless every task completed with its output image stored.
#
#   bench/model-inflight.sh [tasks=1000] [delay_ms=30000] [--output file|text] [--gate true|false] [--warmup 20] [--senders 16]
#
# Launch options and environment: bench/inflight.sh.
exec "$(dirname "$0")/inflight.sh" model "$@"
