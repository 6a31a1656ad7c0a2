"""The Celery app and task for the peer benchmark (loaded by the worker with -A tasks).

Redis broker, no result backend (task_ignore_result). Each task's body is one RPUSH of its id,
on a Redis client of the worker process's own (Celery has no client for the application's use;
one redis-py client per process, made lazily so that each prefork child makes its own)."""
import os

import redis as redis_py
from celery import Celery, signals

DONE_KEY = 'peerbench:done'
READY_KEY = 'peerbench:ready'
QUEUE = 'peerbench'
REDIS_URL = os.environ['PEERBENCH_REDIS_URL']

app = Celery('peerbench', broker=REDIS_URL)
app.conf.update(
    task_ignore_result=True,
    result_backend=None,
    task_default_queue=QUEUE,
    task_serializer='json',
    accept_content=['json'],
    # Early ack (Celery's default): the message is acked when a pool process takes it.
    task_acks_late=False,
    # Messages each worker process reserves = multiplier x concurrency (see README).
    worker_prefetch_multiplier=int(os.environ.get('PEERBENCH_PREFETCH_MULTIPLIER', '64')),
    worker_send_task_events=False,
    worker_enable_remote_control=True,
)

_client = None


def client():
    global _client
    if _client is None:
        _client = redis_py.Redis.from_url(REDIS_URL)
    return _client


@app.task(bind=True, name='peerbench.record')
def record(self):
    client().rpush(DONE_KEY, self.request.id)


@signals.worker_ready.connect
def _ready(**_):
    redis_py.Redis.from_url(REDIS_URL).rpush(READY_KEY, str(os.getpid()))
