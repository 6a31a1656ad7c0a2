package io.taskq.support.redis;

import java.util.Map;

/**
 * A dead job as stored in the dead-letter hash: the job's own fields plus why and when it
 * died. The retry script reads {@code job} back into the stream.
 *
 * @param job the fields of the job's last stream entry
 * @param reason one line saying why the job died
 * @param errorType the exception class, or empty when no exception was involved
 * @param stackTrace the first frames of the stack trace, or empty
 * @param attempts how many times the job ran
 * @param failedAt when it died, epoch millis
 */
public record DeadJobRecord(Map<String, String> job, String reason, String errorType, String stackTrace, int attempts,
		long failedAt) {

}
