"""The RQ job and worker classes for the peer benchmark (imported by the workers).

Each job's body is one RPUSH of its id, on the worker's own Redis connection."""
from rq import get_current_job
from rq.worker import SimpleWorker, Worker

DONE_KEY = 'peerbench:done'
READY_KEY = 'peerbench:ready'


def record():
    job = get_current_job()
    job.connection.rpush(DONE_KEY, job.id)


class _Ready:
    """Says when the worker has registered and is about to take jobs."""

    def register_birth(self):
        super().register_birth()
        self.connection.rpush(READY_KEY, str(self.pid))


class ReadySimpleWorker(_Ready, SimpleWorker):
    """RQ's SimpleWorker: runs each job in the worker process itself."""


class ReadyWorker(_Ready, Worker):
    """RQ's default Worker: forks a work horse for each job."""
