package io.taskq.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What this JVM spent outside the jobs so far, or between two readings: JIT compilation
 * and garbage-collection pauses. Both stall a latency measurement on a small machine (a
 * compiler thread takes a core; a pause stops every thread), so the latency workload
 * waits for the first to quiet down and reports both for its measured window.
 *
 * @param compileMillis time the JIT compilers spent compiling
 * @param gcPauses collections that paused the application
 * @param gcPauseMillis time those collections took
 */
record JvmActivity(long compileMillis, long gcPauses, long gcPauseMillis) {

	static JvmActivity now() {
		long pauses = 0;
		long pauseMillis = 0;
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			// Concurrent cycles (G1's marking in later JDKs, ZGC's cycles) run beside
			// the application: their time is not a pause.
			String name = collector.getName();
			if (!name.contains("Concurrent") && !name.contains("Cycles") && collector.getCollectionCount() > 0) {
				pauses += collector.getCollectionCount();
				pauseMillis += collector.getCollectionTime();
			}
		}
		return new JvmActivity(ManagementFactory.getCompilationMXBean().getTotalCompilationTime(), pauses, pauseMillis);
	}

	JvmActivity since(JvmActivity earlier) {
		return new JvmActivity(this.compileMillis - earlier.compileMillis, this.gcPauses - earlier.gcPauses,
				this.gcPauseMillis - earlier.gcPauseMillis);
	}

}
