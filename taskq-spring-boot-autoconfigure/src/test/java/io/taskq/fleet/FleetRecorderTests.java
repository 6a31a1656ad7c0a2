package io.taskq.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.taskq.JobId;
import io.taskq.fleet.DurationTally.DurationFigures;
import io.taskq.fleet.FleetRecorder.Gathered;
import io.taskq.fleet.FleetRecorder.TaskFigures;
import io.taskq.support.JobExecution;
import io.taskq.support.JobExecution.Result;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorder's figures are exact across reports: runs recorded by many threads while
 * the reporter takes figures are counted once, in one report or the next.
 */
class FleetRecorderTests {

	@Test
	void runsRecordedWhileFiguresAreTakenAreCountedExactlyOnce() throws InterruptedException {
		FleetRecorder recorder = new FleetRecorder();
		int threads = 4;
		int runs = 20_000;
		CountDownLatch done = new CountDownLatch(threads);
		for (int t = 0; t < threads; t++) {
			int thread = t;
			new Thread(() -> {
				for (int i = 0; i < runs; i++) {
					recorder.executed(new JobExecution("default", "mail", JobId.of(thread + "-" + i), 1, 0, 2,
							TimeUnit.MICROSECONDS.toNanos(300), (i % 10 == 0) ? Result.RETRY : Result.SUCCESS));
				}
				done.countDown();
			}).start();
		}
		List<Gathered> reports = new ArrayList<>();
		while (!done.await(1, TimeUnit.MILLISECONDS)) {
			reports.add(recorder.takeGathered());
		}
		reports.add(recorder.takeGathered());
		long count = 0;
		long failed = 0;
		long sum = 0;
		long inBuckets = 0;
		for (Gathered report : reports) {
			for (TaskFigures task : report.tasks()) {
				count += task.runs().count();
				failed += task.failed();
				sum += task.runs().sumMicros();
				for (long bucket : task.runs().buckets()) {
					inBuckets += bucket;
				}
			}
		}
		assertThat(reports.size()).isGreaterThan(1);
		assertThat(count).isEqualTo(threads * runs);
		assertThat(failed).isEqualTo(threads * runs / 10);
		assertThat(sum).isEqualTo(300L * threads * runs);
		assertThat(inBuckets).isEqualTo(threads * runs);
		assertThat(recorder.takeGathered().isEmpty()).isTrue();
	}

	@Test
	void theSlowestRunOfAReportIsKept() {
		FleetRecorder recorder = new FleetRecorder();
		for (int millis : new int[] { 5, 40, 12 }) {
			recorder.executed(new JobExecution("default", "report", JobId.of("run-" + millis), 1, 0, 1000,
					TimeUnit.MILLISECONDS.toNanos(millis), Result.SUCCESS));
		}
		TaskFigures figures = recorder.takeGathered().tasks().get(0);
		assertThat(figures.slowest().jobId()).isEqualTo("run-40");
		assertThat(figures.slowest().finishedAt()).isEqualTo(1040);
		assertThat(figures.runs().maxMicros()).isEqualTo(40_000);
	}

	@Test
	void quantilesAreInterpolatedWithinTheirBucketAndNeverAboveTheMaximum() {
		long[] buckets = new long[DurationBuckets.COUNT];
		// 100 runs between 1 and 2.5 ms (bucket 3: up to 1 ms ... bucket 4: up to 2.5
		// ms).
		buckets[DurationBuckets.indexOf(2_000)] = 100;
		DurationFigures figures = new DurationFigures(100, 200_000, 2_400, buckets);
		assertThat(figures.quantileMicros(0.5)).isEqualTo(1_750);
		assertThat(figures.quantileMicros(0.95)).isEqualTo(2_400);
		assertThat(DurationBuckets.indexOf(100)).isZero();
		assertThat(DurationBuckets.indexOf(400_000_000)).isEqualTo(DurationBuckets.COUNT - 1);
		long[] slow = new long[DurationBuckets.COUNT];
		slow[DurationBuckets.COUNT - 1] = 1;
		assertThat(DurationBuckets.quantile(slow, 0.95, 900_000_000)).isEqualTo(900_000_000);
	}

}
