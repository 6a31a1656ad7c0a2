#!/usr/bin/env bash
# Runs every peer benchmark one after another (never in parallel) on one Redis:
#   bench/peers/run-all.sh REDIS_URL JOBS WARM_REPEATS     e.g. redis://127.0.0.1:6391 100000 3
# Prints each run's JSON lines on stdout, keeps them in $RESULTS (default
# /tmp/peerbench-results-<time>.jsonl), ends with a summary table on stderr, and exits non-zero
# if any run failed (the others still run).
# Env:
#   PEERS      the runs, in order (default: all of them, see RUNS below), e.g. "bullmq-1 sidekiq-1"
#   RQ_JOBS    jobs per drain for RQ's SimpleWorker (default: JOBS, at most 10,000: ~250 jobs/s)
#   RQ_FORK_JOBS  jobs per drain for RQ's forking Worker (default: JOBS, at most 2,000: ~80 jobs/s)
#   CELERY_JOBS   jobs per drain for Celery (default: JOBS, at most 50,000: ~1,000 jobs/s, and
#              its enqueue, one LPUSH per message, ~2,500 jobs/s)
#   RESULTS    the JSON lines file (appended to)
#   TASKQ_JAR  if set (e.g. taskq-sample-app/target/taskq-sample-app.jar), taskq's own bench runs
#              first on the same Redis: --workloads=throughput --processes=1 --jobs=JOBS
#              --repeats=WARM_REPEATS (it warms its worker JVM up first; see README)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
if [[ $# -ne 3 || ! $2 =~ ^[1-9][0-9]*$ || ! $3 =~ ^[0-9]+$ ]]; then
	echo "usage: bench/peers/run-all.sh REDIS_URL JOBS WARM_REPEATS" >&2
	exit 2
fi
URL=$1 JOBS=$2 REPEATS=$3
RESULTS=${RESULTS:-/tmp/peerbench-results-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
RQ_JOBS=${RQ_JOBS:-$((JOBS < 10000 ? JOBS : 10000))}
RQ_FORK_JOBS=${RQ_FORK_JOBS:-$((JOBS < 2000 ? JOBS : 2000))}
CELERY_JOBS=${CELERY_JOBS:-$((JOBS < 50000 ? JOBS : 50000))}

# name: env and command of each run.
declare -A RUNS=(
	[bullmq-1]="WORKERS=1 bullmq/run.sh $URL $JOBS $REPEATS"
	[bullmq-2]="WORKERS=2 bullmq/run.sh $URL $JOBS $REPEATS"
	[sidekiq-1]="WORKERS=1 sidekiq/run.sh $URL $JOBS $REPEATS"
	[sidekiq-2]="WORKERS=2 sidekiq/run.sh $URL $JOBS $REPEATS"
	[rq-simple-1]="WORKERS=1 RQ_WORKER=simple rq/run.sh $URL $RQ_JOBS $REPEATS"
	[rq-simple-2]="WORKERS=2 RQ_WORKER=simple rq/run.sh $URL $RQ_JOBS $REPEATS"
	[rq-fork-1]="WORKERS=1 RQ_WORKER=fork rq/run.sh $URL $RQ_FORK_JOBS $REPEATS"
	[celery-prefork-1]="WORKERS=1 CELERY_POOL=prefork celery/run.sh $URL $CELERY_JOBS $REPEATS"
	[celery-prefork-2]="WORKERS=2 CELERY_POOL=prefork celery/run.sh $URL $CELERY_JOBS $REPEATS"
	[celery-threads-1]="WORKERS=1 CELERY_POOL=threads celery/run.sh $URL $CELERY_JOBS $REPEATS"
)
ORDER=(bullmq-1 bullmq-2 sidekiq-1 sidekiq-2 rq-simple-1 rq-simple-2 rq-fork-1 celery-prefork-1
	celery-prefork-2 celery-threads-1)
read -r -a SELECTED <<<"${PEERS:-${ORDER[*]}}"
for name in "${SELECTED[@]}"; do
	[[ -n ${RUNS[$name]:-} ]] || { echo "unknown run '$name' (known: ${ORDER[*]})" >&2; exit 2; }
done

{
	echo "# peer benchmarks, $(date -u +%FT%TZ), $(nproc) cores, Redis $(redis-cli -u "$URL" INFO server | tr -d '\r' | sed -n 's/^redis_version://p')"
	echo "# node $(node --version 2>/dev/null), $(/usr/bin/ruby --version 2>/dev/null | cut -d' ' -f1-2), $(/usr/bin/python3 --version 2>&1)"
	echo "# results: $RESULTS"
} >&2

FAILED=()
cd "$HERE"
if [[ -n ${TASKQ_JAR:-} ]]; then
	echo "### taskq: java -jar $TASKQ_JAR bench --redis=$URL --workloads=throughput --processes=1 --jobs=$JOBS --repeats=$REPEATS" >&2
	if ! java -jar "$TASKQ_JAR" bench --redis="$URL" --workloads=throughput --processes=1 \
		--jobs="$JOBS" --repeats="$((REPEATS > 0 ? REPEATS : 1))" --json="${RESULTS%.jsonl}-taskq.jsonl" >&2; then
		FAILED+=(taskq)
	fi
fi
for name in "${SELECTED[@]}"; do
	echo "### $name: ${RUNS[$name]}" >&2
	# shellcheck disable=SC2086 # the run's env assignments and arguments are words
	if ! env ${RUNS[$name]} | tee -a "$RESULTS"; then
		FAILED+=("$name")
		echo "### $name FAILED" >&2
	fi
done

/usr/bin/python3 - "$RESULTS" >&2 <<'EOF'
import json, sys
rows = {}
try:
    lines = open(sys.argv[1]).read().splitlines()
except FileNotFoundError:
    lines = []
for text in lines:
    r = json.loads(text)
    key = (r['peer'], r['setting'], r['jobs'])
    rows.setdefault(key, {})[r['drain']] = r
print('\n%-8s %-8s %-55s %8s %10s %12s' % ('peer', 'version', 'setting', 'jobs', 'cold/s', 'warm med/s'))
for (peer, setting, jobs), d in rows.items():
    cold = d.get('cold', {}).get('jobs_per_s')
    warm = d.get('warm-median', {}).get('jobs_per_s')
    version = next(iter(d.values()))['version']
    print('%-8s %-8s %-55s %8d %10s %12s' % (peer, version, setting, jobs,
          '%.0f' % cold if cold else '-', '%.0f' % warm if warm else '-'))
EOF
if ((${#FAILED[@]})); then
	echo "FAILED: ${FAILED[*]}" >&2
	exit 1
fi
