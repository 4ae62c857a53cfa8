#!/usr/bin/env bash
# Many agent tasks in flight at once (issue 11: 1,000 agents, each waiting on a model that answers in 2 s): starts
# `weft serve` (embedded SQLite, fresh data folder), then bench/AgentsInFlight.java, which runs a slow fake
# OpenAI-compatible model on loopback, publishes a start -> agent -> end flow (two model calls and one HTTP tool call
# per task), fires the executes and samples the server's RSS and threads while they wait. Prints a summary and one
# JSON line; exits non-zero unless every task completed with the right answer.
#
#   bench/agents-inflight.sh [tasks=1000] [model_delay_ms=2000] [--mode tool|text] [--stream true|false] [--gate true|false]
#                             [--warmup 20] [--senders 16] [--model-host 127.0.0.1]
#
# Launch options and environment: bench/inflight.sh.
exec "$(dirname "$0")/inflight.sh" agents "$@"
