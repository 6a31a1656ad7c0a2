"""Celery drains: python3 driver.py REDIS_URL JOBS WARM_REPEATS WORKERS CONCURRENCY POOL
              or: python3 driver.py REDIS_URL clean

Jobs are published with a loop of apply_async on one producer (kombu's Redis transport sends
each message as its own LPUSH; a group's apply_async does the same loop) into the queue
'peerbench-staging', which no worker consumes, and the staging list is then RENAMEd to the list
'peerbench' the workers block on in BRPOP (Celery's own way to hold a queue, cancel_consumer /
add_consumer, goes through broadcast remote control and would time the broadcast); see
common/pydrain.py."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'common'))
import celery  # noqa: E402
import kombu  # noqa: E402
import pydrain  # noqa: E402
import redis as redis_py  # noqa: E402

STAGING = 'peerbench-staging'


def main():
    url = sys.argv[1]
    os.environ['PEERBENCH_REDIS_URL'] = url
    import tasks  # noqa: E402 (reads the URL)
    redis = redis_py.Redis.from_url(url)
    if sys.argv[2] == 'clean':
        # This peer's keys only: its queues, kombu's bookkeeping, the bench's keys.
        pydrain.delete_keys(redis, ['peerbench*', 'unacked', 'unacked_index', 'unacked_mutex',
                                    '_kombu.*', 'celery*', '*.reply.celery.pidbox'])
        return
    jobs, repeats, workers, concurrency, pool = (int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]),
                                                 int(sys.argv[5]), sys.argv[6])
    multiplier = tasks.app.conf.worker_prefetch_multiplier

    def enqueue(n):
        ids = []
        with tasks.app.producer_or_acquire() as producer:
            for _ in range(n):
                ids.append(tasks.record.apply_async(queue=STAGING, producer=producer).id)
        return ids

    def resume():
        redis.rename(STAGING, tasks.QUEUE)

    base = {
        'peer': 'celery', 'version': celery.__version__, 'workers': workers, 'concurrency': concurrency,
        'jobs': jobs,
        'setting': '%d worker x --pool=%s -c %d, prefetch multiplier %d' % (workers, pool, concurrency, multiplier),
        'runtime': 'python %s, kombu %s, redis-py %s' % (pydrain.python_version(), kombu.__version__,
                                                          redis_py.__version__),
    }
    pydrain.run(base, redis, jobs, repeats, enqueue, resume, STAGING)


if __name__ == '__main__':
    main()
