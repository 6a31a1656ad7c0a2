"""The drain loop shared by the Python peers (RQ, Celery): the same measurement as taskq's
`bench` throughput workload and the BullMQ and Sidekiq drivers.

A drain: with the workers held off, bulk-enqueue JOBS no-op jobs (the peer's `enqueue`, into a
staging queue that no worker reads), let the workers at them (the peer's `resume`, a RENAME of
the staging list to the queue the workers block on), and time from the first look (LLEN every
5 ms) that finds jobs done to the last job done; the jobs found done at that first look are not
counted. Then every job must have run exactly once: JOBS entries, JOBS distinct ids, the ids
enqueued; otherwise the run fails. One JSON line per drain on stdout (cold, then each warm one)
and a warm-median line.
"""
import json
import statistics
import sys
import time

DONE_KEY = 'peerbench:done'
READY_KEY = 'peerbench:ready'
POLL_SECONDS = 0.005
TIMEOUT_SECONDS = 900


def delete_keys(redis, patterns):
    for pattern in patterns:
        batch = []
        for key in redis.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                redis.unlink(*batch)
                batch = []
        if batch:
            redis.unlink(*batch)


def redis_counters(redis):
    """Redis's commands processed and CPU seconds so far (INFO stats, INFO cpu)."""
    stats, cpu = redis.info('stats'), redis.info('cpu')
    return int(stats['total_commands_processed']), float(cpu['used_cpu_sys']) + float(cpu['used_cpu_user'])


def verify_exactly_once(redis, ids):
    length = redis.llen(DONE_KEY)
    done = []
    for start in range(0, length, 50_000):
        done.extend(v.decode() for v in redis.lrange(DONE_KEY, start, start + 49_999))
    distinct = set(done)
    if len(done) != len(ids) or distinct != set(ids):
        raise RuntimeError('Exactly-once check failed: %d enqueued, %d runs of %d distinct jobs'
                           % (len(ids), len(done), len(distinct)))


def drain(redis, jobs, enqueue, resume, staging_key):
    redis.delete(DONE_KEY, staging_key)
    enqueue_start = time.perf_counter()
    ids = enqueue(jobs)
    enqueue_seconds = time.perf_counter() - enqueue_start
    if len(ids) != jobs:
        raise RuntimeError('enqueued %d of %d jobs' % (len(ids), jobs))
    commands_before, cpu_before = redis_counters(redis)
    resume()
    resumed = time.perf_counter()
    first_done = None
    done_at_first = 0
    while True:
        done = redis.llen(DONE_KEY)
        now = time.perf_counter()
        if first_done is None and done > 0:
            first_done = now
            done_at_first = done
        if done >= jobs:
            last_done = now
            break
        if now - resumed > TIMEOUT_SECONDS:
            raise RuntimeError('Drain did not finish in %d s: %d of %d' % (TIMEOUT_SECONDS, done, jobs))
        time.sleep(POLL_SECONDS)
    commands_after, cpu_after = redis_counters(redis)
    verify_exactly_once(redis, ids)
    # A job run twice might land just after the last: look again a moment later.
    time.sleep(0.5)
    after = redis.llen(DONE_KEY)
    if after != jobs:
        raise RuntimeError('Exactly-once check failed: %d runs of %d jobs 0.5 s after the drain' % (after, jobs))
    seconds = last_done - first_done
    return {
        'seconds': seconds,
        'jobs_per_s': (jobs - done_at_first) / seconds if seconds > 0 else None,
        'done_at_first_look': done_at_first,
        'first_done_after_resume_s': first_done - resumed,
        'enqueue_jobs_per_s': jobs / enqueue_seconds,
        # Whole drain, from the resume; includes the driver's LLEN every 5 ms.
        'redis_commands_per_job': (commands_after - commands_before) / jobs,
        'redis_cpu_us_per_job': (cpu_after - cpu_before) * 1e6 / jobs,
    }


def _rounded(value, key):
    if isinstance(value, float):
        return round(value, 4 if key == 'seconds' or key.endswith('after_resume_s') else 1)
    return value


def line(base, drain_name, result):
    out = dict(base)
    out['drain'] = drain_name
    for key, value in result.items():
        out[key] = _rounded(value, key)
    # Field order as in the other peers: peer, version, drain first.
    ordered = {k: out[k] for k in ('peer', 'version', 'drain')}
    ordered.update((k, v) for k, v in out.items() if k not in ordered)
    print(json.dumps(ordered, separators=(',', ':')), flush=True)


def run(base, redis, jobs, repeats, enqueue, resume, staging_key):
    """base: peer, version, workers, concurrency, jobs, setting (printed on every line)."""
    line(base, 'cold', drain(redis, jobs, enqueue, resume, staging_key))
    warm = []
    for _ in range(repeats):
        time.sleep(1)
        result = drain(redis, jobs, enqueue, resume, staging_key)
        warm.append(result['jobs_per_s'])
        line(base, 'warm', result)
    if warm:
        line(base, 'warm-median', {'repeats': len(warm), 'jobs_per_s': statistics.median(warm),
                                   'slowest': min(warm), 'fastest': max(warm)})


def python_version():
    return '%d.%d.%d' % sys.version_info[:3]
