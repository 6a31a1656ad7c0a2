package io.taskq.retry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import io.taskq.support.JobMessage;
import io.taskq.support.redis.DeadJobRecord;
import org.jspecify.annotations.Nullable;

/**
 * Builds what a dead letter keeps of a failure: the reason and a short stack trace (a few
 * frames per cause), enough to find the fault without storing kilobytes per dead job.
 */
final class DeadLetterRecords {

	private static final int FRAMES_PER_CAUSE = 8;

	private static final int MAX_CAUSES = 5;

	private DeadLetterRecords() {
	}

	static DeadJobRecord of(JobMessage job, String reason, @Nullable Throwable error, int attempts, long failedAt) {
		return new DeadJobRecord(job.toFields(), reason, (error != null) ? error.getClass().getName() : "",
				(error != null) ? safeSummary(error) : "", attempts, failedAt);
	}

	private static String safeSummary(Throwable error) {
		try {
			return summarize(error);
		}
		catch (RuntimeException ex) {
			// A user exception whose getMessage() throws must not stop the job being
			// recorded.
			return error.getClass().getName() + " (its message could not be read: " + ex + ")";
		}
	}

	static String summarize(Throwable error) {
		StringBuilder summary = new StringBuilder();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		Throwable current = error;
		int causes = 0;
		while (current != null && seen.add(current) && causes++ < MAX_CAUSES) {
			if (summary.length() > 0) {
				summary.append("Caused by: ");
			}
			summary.append(current.getClass().getName());
			if (current.getMessage() != null) {
				summary.append(": ").append(current.getMessage());
			}
			summary.append('\n');
			List<StackTraceElement> frames = new ArrayList<>(List.of(current.getStackTrace()));
			for (int i = 0; i < Math.min(FRAMES_PER_CAUSE, frames.size()); i++) {
				summary.append("\tat ").append(frames.get(i)).append('\n');
			}
			if (frames.size() > FRAMES_PER_CAUSE) {
				summary.append("\t... ").append(frames.size() - FRAMES_PER_CAUSE).append(" more\n");
			}
			current = current.getCause();
		}
		return summary.toString();
	}

}
