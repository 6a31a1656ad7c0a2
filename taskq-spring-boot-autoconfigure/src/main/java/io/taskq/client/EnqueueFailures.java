package io.taskq.client;

import java.util.List;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.taskq.JobId;
import io.taskq.client.JobEnqueueException.Outcome;

import org.springframework.dao.DataAccessException;

/**
 * Turns a failed enqueue call into the exception its caller gets, telling a refusal (the
 * jobs are not stored) from an unknown outcome (they may be) (issue 16, point 5).
 * <p>
 * Refused only on evidence that nothing was written: Redis answered with an error (a
 * script stops at its first refused write, and every enqueue script's first write is the
 * one that stores or reserves the job, so an error reply leaves no job behind), or
 * Lettuce could not connect. Anything else (a timeout, a connection lost with the command
 * written or in flight, an error of another driver) may have stored the jobs.
 */
final class EnqueueFailures {

	private final CapacityGuard capacity;

	EnqueueFailures(CapacityGuard capacity) {
		this.capacity = capacity;
	}

	/**
	 * @param what the jobs, as the message names them
	 * @param explicitIds whether the caller chose the ids (a retry with them is then
	 * recognised)
	 */
	RuntimeException enqueueFailed(String queue, String what, List<JobId> ids, boolean explicitIds,
			DataAccessException ex) {
		String cause = RedisJobClient.rootMessage(ex);
		JobEnqueueException failure;
		if (outcomeOf(ex) == Outcome.REFUSED) {
			failure = new JobEnqueueException("Redis refused " + what + ": " + cause
					+ ". Refused: not stored, so sending it again cannot double it", Outcome.REFUSED, ids, ex);
		}
		else {
			failure = new JobEnqueueException(
					"Could not enqueue " + what + ", outcome unknown: " + cause
							+ ". The command may have reached Redis, so the job may have been stored and may run. "
							+ (explicitIds
									? "Retrying with the same job id is safe: an id already enqueued is reported"
											+ " (JobAlreadyEnqueuedException), never added twice"
									: "Retrying with the same job id adds it at most once only for a job given an"
											+ " explicit id (JobRequest.withJobId) from its first enqueue; this id was"
											+ " generated, so enqueueing it again may run it twice"),
					Outcome.UNKNOWN, ids, ex);
		}
		return this.capacity.translate(queue, ids, ex, failure);
	}

	static Outcome outcomeOf(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof RedisCommandExecutionException || cause instanceof RedisConnectionException) {
				return Outcome.REFUSED;
			}
		}
		return Outcome.UNKNOWN;
	}

}
