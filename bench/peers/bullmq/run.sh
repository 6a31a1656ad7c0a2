#!/usr/bin/env bash
# BullMQ throughput drain: bench/peers/bullmq/run.sh REDIS_URL JOBS WARM_REPEATS
# Env: WORKERS (worker processes, default 1), CONCURRENCY (per process, default 64),
#      PEER_DB (Redis database, default 1).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../common/lib.sh"
peer_check_args "$@" || peer_usage bullmq
URL=$(peer_db_url "$1" 1)
JOBS=$2 REPEATS=$3 WORKERS=${WORKERS:-1} CONCURRENCY=${CONCURRENCY:-64}
cd "$HERE"
[[ -d node_modules/bullmq ]] || { echo "run 'npm ci' in $HERE first" >&2; exit 2; }
peer_setup bullmq
peer_run node driver.mjs "$URL" clean
for ((i = 1; i <= WORKERS; i++)); do
	peer_start "$PEER_LOGDIR/worker-$i.log" node worker.mjs "$URL" "$CONCURRENCY"
done
peer_wait_ready "$URL" peerbench:ready "$WORKERS"
sleep 1
peer_run node driver.mjs "$URL" "$JOBS" "$REPEATS" "$WORKERS" "$CONCURRENCY"
peer_stop_workers
peer_run node driver.mjs "$URL" clean
