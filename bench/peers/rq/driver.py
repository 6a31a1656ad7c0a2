"""RQ drains: python3 driver.py REDIS_URL JOBS WARM_REPEATS WORKERS WORKER_CLASS
          or: python3 driver.py REDIS_URL clean

Jobs are enqueued with Queue.enqueue_many (one pipeline per chunk of 1,000) into the queue
'peerbench-staging', which no worker reads (RQ cannot hold a queue: `rq suspend` stops whole
workers, which look at it only between jobs and sleep a second at a time), and the staging list
is then RENAMEd to rq:queue:peerbench, where the workers block in BLPOP; see common/pydrain.py.
result_ttl=0: a job's hash is deleted when it succeeds (no results kept, as with the other
peers)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
import pydrain  # noqa: E402
import redis as redis_py  # noqa: E402
import rq  # noqa: E402
from rq import Queue  # noqa: E402

import jobs as bench_jobs  # noqa: E402

QUEUE = 'peerbench'
STAGING = 'peerbench-staging'
CHUNK = 1000


def main():
    url = sys.argv[1]
    redis = redis_py.Redis.from_url(url)
    if sys.argv[2] == 'clean':
        pydrain.delete_keys(redis, ['rq:*', 'peerbench:*'])
        return
    jobs, repeats, workers, worker_class = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    staging = Queue(STAGING, connection=redis)
    staging_key = staging.key
    live_key = Queue(QUEUE, connection=redis).key

    def enqueue(n):
        ids = []
        for start in range(0, n, CHUNK):
            datas = [Queue.prepare_data(bench_jobs.record, result_ttl=0) for _ in range(min(CHUNK, n - start))]
            ids.extend(job.id for job in staging.enqueue_many(datas))
        return ids

    def resume():
        redis.rename(staging_key, live_key)

    kind = 'SimpleWorker (no fork)' if worker_class == 'simple' else 'Worker (fork per job)'
    base = {
        'peer': 'rq', 'version': rq.__version__, 'workers': workers, 'concurrency': 1, 'jobs': jobs,
        'setting': '%d process x %s' % (workers, kind),
        'runtime': 'python %s, redis-py %s' % (pydrain.python_version(), redis_py.__version__),
    }
    pydrain.run(base, redis, jobs, repeats, enqueue, resume, staging_key)


if __name__ == '__main__':
    main()
