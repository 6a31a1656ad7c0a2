package io.taskq.integration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * The fault suite's report: every scenario adds its figures (jobs, duplicates, recovery
 * seconds, memory), and the whole list is printed once the test run ends. The table in
 * docs/reliability.md is copied from it.
 */
public class FaultReport implements TestExecutionListener {

	private static final List<String> lines = new CopyOnWriteArrayList<>();

	static void add(String line) {
		lines.add(line);
		System.out.println("fault-suite " + line);
	}

	@Override
	public void testPlanExecutionFinished(TestPlan testPlan) {
		if (lines.isEmpty()) {
			return;
		}
		StringBuilder report = new StringBuilder("\n==== taskq fault suite report ====\n");
		lines.forEach((line) -> report.append("  ").append(line).append('\n'));
		report.append("==================================\n");
		System.out.println(report);
	}

}
