package io.taskq.retry;

/**
 * The default {@link JobRecoverer}: the job goes to its queue's dead letters, where
 * {@code DeadJobs} lists, retries and deletes it. The listener recognises this type and
 * writes the dead letter itself, in the same batched, owner-checked write as every other
 * outcome, so {@link #recover} is never called for it.
 * <p>
 * Called directly (by a recoverer that delegates the jobs it does not handle), it throws:
 * a recoverer that throws leaves the job to the dead letters.
 */
public final class DeadLetteringRecoverer implements JobRecoverer {

	@Override
	public void recover(FailedJob job, Throwable error) {
		throw new DeadLetterRequestedException(job);
	}

	@Override
	public String toString() {
		return "DeadLetteringRecoverer";
	}

	/**
	 * What {@link #recover} throws: asks for the job to be dead-lettered, which is not a
	 * failure of the recoverer and is not logged as one.
	 */
	public static final class DeadLetterRequestedException extends RuntimeException {

		DeadLetterRequestedException(FailedJob job) {
			super("job " + job.id() + " is left to the dead letters", null, false, false);
		}

	}

}
