#!/usr/bin/env bash
# Celery throughput drain: bench/peers/celery/run.sh REDIS_URL JOBS WARM_REPEATS
# Env: WORKERS (celery worker nodes, default 1), CELERY_POOL (prefork, the default, or threads),
#      CONCURRENCY (-c, default 2 for prefork, 8 for threads), PEERBENCH_PREFETCH_MULTIPLIER
#      (default 64), PEER_DB (Redis database, default 4).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../common/lib.sh"
peer_check_args "$@" || peer_usage celery
URL=$(peer_db_url "$1" 4)
JOBS=$2 REPEATS=$3 WORKERS=${WORKERS:-1} CELERY_POOL=${CELERY_POOL:-prefork}
case $CELERY_POOL in
prefork) CONCURRENCY=${CONCURRENCY:-2} ;;
threads) CONCURRENCY=${CONCURRENCY:-8} ;;
*) echo "CELERY_POOL must be prefork or threads" >&2; exit 2 ;;
esac
cd "$HERE"
# Debian's python3-celery is for /usr/bin/python3 (a pyenv python on the PATH would not have it).
PY=/usr/bin/python3
export PYTHONPATH=$HERE PEERBENCH_REDIS_URL=$URL
peer_setup celery
peer_run $PY driver.py "$URL" clean
for ((i = 1; i <= WORKERS; i++)); do
	peer_start "$PEER_LOGDIR/worker-$i.log" $PY -m celery -A tasks worker -Q peerbench \
		--pool="$CELERY_POOL" --concurrency="$CONCURRENCY" --loglevel=WARNING \
		--without-gossip --without-mingle --without-heartbeat -n "peerbench-$i@%h"
done
peer_wait_ready "$URL" peerbench:ready "$WORKERS"
sleep 1
peer_run $PY driver.py "$URL" "$JOBS" "$REPEATS" "$WORKERS" "$CONCURRENCY" "$CELERY_POOL"
peer_stop_workers
peer_run $PY driver.py "$URL" clean
