#!/usr/bin/env bash
# RQ throughput drain: bench/peers/rq/run.sh REDIS_URL JOBS WARM_REPEATS
# Env: WORKERS (worker processes, default 1), RQ_WORKER=simple (SimpleWorker, runs jobs in the
#      worker process; the default here) or fork (RQ's default Worker, a fork per job),
#      PEER_DB (Redis database, default 3).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../common/lib.sh"
peer_check_args "$@" || peer_usage rq
URL=$(peer_db_url "$1" 3)
JOBS=$2 REPEATS=$3 WORKERS=${WORKERS:-1} RQ_WORKER=${RQ_WORKER:-simple}
case $RQ_WORKER in
simple) CLASS=jobs.ReadySimpleWorker ;;
fork) CLASS=jobs.ReadyWorker ;;
*) echo "RQ_WORKER must be simple or fork" >&2; exit 2 ;;
esac
cd "$HERE"
# Debian's python3-rq is for /usr/bin/python3 (a pyenv python on the PATH would not have it).
PY=/usr/bin/python3
export PYTHONPATH=$HERE
peer_setup rq
peer_run $PY driver.py "$URL" clean
for ((i = 1; i <= WORKERS; i++)); do
	peer_start "$PEER_LOGDIR/worker-$i.log" $PY /usr/bin/rq worker --url "$URL" --worker-class "$CLASS" \
		--logging_level WARNING --name "peerbench-$i" peerbench
done
peer_wait_ready "$URL" peerbench:ready "$WORKERS"
sleep 1
peer_run $PY driver.py "$URL" "$JOBS" "$REPEATS" "$WORKERS" "$RQ_WORKER"
peer_stop_workers
peer_run $PY driver.py "$URL" clean
