package io.taskq.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.taskq.JobContext;
import io.taskq.annotation.TaskHandler;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * A small application as a user would write one: a reminder sent days later, a report
 * whose result is kept, a daily digest, and an import that always fails.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ReminderApplication.Handlers.class)
class ReminderApplication {

	@Component
	static class Handlers {

		final List<String> reminded = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		final List<Integer> maxAttempts = new CopyOnWriteArrayList<>();

		@TaskHandler("reminder.send")
		void remind(Reminder reminder, JobContext context) {
			this.threads.add(Thread.currentThread().getName());
			this.maxAttempts.add(context.maxAttempts());
			this.reminded.add(reminder.to() + ":" + reminder.text());
		}

		@TaskHandler(task = "report.count", queue = "reports")
		int count(List<String> lines) {
			return lines.size();
		}

		final List<String> digests = new CopyOnWriteArrayList<>();

		@TaskHandler(task = "digest.daily", cron = "0 0 6 * * *")
		void digest(JobContext context) {
			this.digests.add(context.headers().get("occurrence"));
		}

		@TaskHandler(task = "import.run", maxRetries = "2")
		void importRun(String file) {
			throw new IllegalStateException("cannot read " + file);
		}

	}

	record Reminder(String to, String text) {
	}

}
