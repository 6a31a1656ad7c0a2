#!/usr/bin/env bash
# Sidekiq throughput drain: bench/peers/sidekiq/run.sh REDIS_URL JOBS WARM_REPEATS
# Env: WORKERS (sidekiq processes, default 1), CONCURRENCY (-c per process, default 25),
#      PEER_DB (Redis database, default 2).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../common/lib.sh"
peer_check_args "$@" || peer_usage sidekiq
URL=$(peer_db_url "$1" 2)
JOBS=$2 REPEATS=$3 WORKERS=${WORKERS:-1} CONCURRENCY=${CONCURRENCY:-25}
cd "$HERE"
export PEERBENCH_REDIS_URL=$URL
peer_setup sidekiq
peer_run /usr/bin/ruby driver.rb clean
for ((i = 1; i <= WORKERS; i++)); do
	peer_start "$PEER_LOGDIR/worker-$i.log" /usr/bin/sidekiq -e production -r ./bench_job.rb \
		-q peerbench -c "$CONCURRENCY" -t 10
done
peer_wait_ready "$URL" peerbench:ready "$WORKERS"
sleep 1
peer_run /usr/bin/ruby driver.rb "$JOBS" "$REPEATS" "$WORKERS" "$CONCURRENCY"
peer_stop_workers
peer_run /usr/bin/ruby driver.rb clean
