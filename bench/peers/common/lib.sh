# Shared shell helpers for the peer benchmarks (sourced by each peer's run.sh).
#
# Each peer uses a Redis database of its own on the given server (bullmq 1, sidekiq 2, rq 3,
# celery 4; taskq's own bench uses 0) and deletes only its own keys there, before and after a
# run. Workers are started in a session (process group) of their own, so that stopping them
# also stops their children (Celery's prefork pool), and they are always stopped on exit,
# failure or interrupt.

# peer_usage NAME: prints the usage line and exits 2.
peer_usage() {
	echo "usage: $1/run.sh REDIS_URL JOBS WARM_REPEATS   (e.g. redis://127.0.0.1:6391 100000 3)" >&2
	exit 2
}

# peer_db_url URL DB: the URL with its database number replaced by DB (PEER_DB overrides DB).
peer_db_url() {
	local url=$1 db=${PEER_DB:-$2}
	if [[ ! $url =~ ^(rediss?://[^/?#]+)(/[0-9]*)?/?$ ]]; then
		echo "unsupported Redis URL (expected redis://[user:pass@]host:port[/db]): $url" >&2
		return 2
	fi
	echo "${BASH_REMATCH[1]}/$db"
}

# peer_check_args "$@": checks JOBS and WARM_REPEATS are positive integers.
peer_check_args() {
	[[ $# -eq 3 ]] || return 1
	[[ $2 =~ ^[1-9][0-9]*$ ]] || return 1
	[[ $3 =~ ^[0-9]+$ ]] || return 1
}

PEER_PGIDS=()
PEER_LOGDIR=""

# peer_start LOGFILE CMD...: starts CMD in a new session (its pid is its process group id).
peer_start() {
	local log=$1
	shift
	setsid "$@" >"$log" 2>&1 </dev/null &
	local pid=$!
	PEER_PGIDS+=("$pid")
	echo "started pid $pid: $*" >&2
}

# peer_stop_workers: TERM to each worker's main process (it stops its own children, as in
# production), then waits for its whole process group; KILL to the group after 20 s.
peer_stop_workers() {
	local pgid deadline alive
	((${#PEER_PGIDS[@]})) || return 0
	for pgid in "${PEER_PGIDS[@]}"; do
		kill -TERM "$pgid" 2>/dev/null || true
	done
	deadline=$((SECONDS + 20))
	while :; do
		alive=0
		for pgid in "${PEER_PGIDS[@]}"; do
			if kill -0 -- "-$pgid" 2>/dev/null; then
				alive=1
			fi
		done
		((alive)) || break
		if ((SECONDS >= deadline)); then
			for pgid in "${PEER_PGIDS[@]}"; do
				kill -KILL -- "-$pgid" 2>/dev/null || true
			done
			echo "workers did not stop in 20 s after TERM: killed" >&2
			break
		fi
		sleep 0.2
	done
	for pgid in "${PEER_PGIDS[@]}"; do
		wait "$pgid" 2>/dev/null || true
	done
	PEER_PGIDS=()
}

# peer_workers_alive: fails if a worker's main process has exited.
peer_workers_alive() {
	local pgid
	for pgid in "${PEER_PGIDS[@]}"; do
		kill -0 "$pgid" 2>/dev/null || return 1
	done
}

# peer_wait_ready URL KEY COUNT: waits (60 s at most) until the list KEY holds COUNT entries
# (each worker pushes one when it is ready to take jobs), failing if a worker exits first.
peer_wait_ready() {
	local url=$1 key=$2 count=$3 deadline=$((SECONDS + 60)) n
	while :; do
		n=$(redis-cli -u "$url" --no-raw LLEN "$key" | tr -dc '0-9')
		((${n:-0} >= count)) && return 0
		if ! peer_workers_alive; then
			echo "a worker exited before it was ready" >&2
			return 1
		fi
		if ((SECONDS >= deadline)); then
			echo "workers not ready in 60 s (${n:-0} of $count)" >&2
			return 1
		fi
		sleep 0.1
	done
}

# peer_dump_logs: prints the tail of each worker log (on failure).
peer_dump_logs() {
	local f
	[[ -n $PEER_LOGDIR && -d $PEER_LOGDIR ]] || return 0
	for f in "$PEER_LOGDIR"/*.log; do
		[[ -s $f ]] || continue
		echo "--- last lines of $f" >&2
		tail -n 30 "$f" >&2
	done
}

PEER_CHILD=""

# peer_run CMD...: runs a driver step in the background and waits for it, so that a TERM or INT
# to run.sh is handled at once (bash runs a trap only after a foreground command ends).
peer_run() {
	local rc=0
	"$@" &
	PEER_CHILD=$!
	wait "$PEER_CHILD" || rc=$?
	PEER_CHILD=""
	return "$rc"
}

# peer_on_exit: the run.sh EXIT trap: stops the driver and the workers, shows the workers' logs
# on failure, keeps the exit code.
peer_on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	if [[ -n $PEER_CHILD ]]; then
		kill -TERM "$PEER_CHILD" 2>/dev/null || true
		wait "$PEER_CHILD" 2>/dev/null || true
	fi
	peer_stop_workers
	if ((rc != 0)); then
		echo "FAILED (exit $rc)" >&2
		peer_dump_logs
	elif [[ -n $PEER_LOGDIR && -z ${PEER_KEEP_LOGS:-} ]]; then
		rm -rf "$PEER_LOGDIR"
	fi
	exit "$rc"
}

# peer_setup NAME: log directory and traps.
peer_setup() {
	PEER_LOGDIR=$(mktemp -d "/tmp/peerbench-$1.XXXXXX")
	trap peer_on_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
