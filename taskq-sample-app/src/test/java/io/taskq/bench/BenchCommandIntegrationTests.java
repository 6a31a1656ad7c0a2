package io.taskq.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * The benchmark runs every workload end to end on a small scale (each run checks that
 * every job ran exactly once) and writes one JSON line per figure. No figure is judged:
 * speed is for the benchmark to report, not for tests to assert.
 */
class BenchCommandIntegrationTests {

	@Test
	void runsEveryWorkloadAndWritesOneJsonLinePerFigure(@TempDir Path dir) throws Exception {
		Path json = dir.resolve("results.jsonl");
		BenchCommand.main(new String[] { "--jobs=2000", "--processes=1", "--warm-up-rounds=2", "--repeats=1",
				"--concurrency=8", "--latency-jobs=200", "--rate=200", "--latency-warm-up-seconds=2",
				"--delayed-jobs=200", "--idle-seconds=2", "--json=" + json });
		List<String> lines = Files.readAllLines(json);
		assertThat(lines).hasSize(24);
		assertThat(lines).allSatisfy((line) -> assertThat(line).matches(
				"\\{\"workload\":\"\\w+\",\"setting\":\"[^\"]+\",\"metric\":\"[^\"]+\",\"value\":[0-9.]+,\"unit\":\"[^\"]+\"\\}"));
		assertThat(lines).anySatisfy((line) -> assertThat(line).contains("\"metric\":\"drain\""))
			.anySatisfy((line) -> assertThat(line).contains("\"metric\":\"drain, cold (1st round)\""))
			.anySatisfy((line) -> assertThat(line).contains("\"metric\":\"warm-up jobs per JVM\""))
			.anySatisfy((line) -> assertThat(line).contains("\"metric\":\"enqueue->start p99\""))
			.anySatisfy((line) -> assertThat(line).contains("\"metric\":\"warm-up at rate\",\"value\":2"))
			.anySatisfy((line) -> assertThat(line).contains("\"metric\":\"GC pauses while measured\""))
			.anySatisfy((line) -> assertThat(line).contains("\"metric\":\"lateness p99\""))
			.anySatisfy((line) -> assertThat(line).contains("\"metric\":\"Redis commands per second\""))
			.anySatisfy((line) -> assertThat(line).contains("\"metric\":\"worker CPU per 10,000 jobs\""));
	}

	@Test
	void settingsTakeTurnsWithBlockingHandlersToo(@TempDir Path dir) throws Exception {
		Path json = dir.resolve("results.jsonl");
		PrintStream out = System.out;
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
		try {
			BenchCommand.main(new String[] { "--workloads=throughput", "--handler=sync", "--jobs=1000",
					"--processes=1,2", "--warm-up-rounds=1", "--repeats=3", "--concurrency=8", "--json=" + json });
		}
		finally {
			System.setOut(out);
		}
		// Each round measures every setting, the first one rotating.
		List<String> turns = printed.toString(StandardCharsets.UTF_8)
			.lines()
			.filter((line) -> line.contains("measured drain"))
			.map((line) -> line.substring(line.indexOf('(') + 1, line.indexOf(" JVM")))
			.toList();
		assertThat(turns).containsExactly("1", "2", "2", "1", "1", "2");
		List<String> lines = Files.readAllLines(json);
		assertThat(lines).hasSize(20);
		for (String setting : List.of("1 JVM x 8 slots, sync", "2 JVM x 8 slots, sync")) {
			List<String> ofSetting = ofSetting(lines, setting);
			assertThat(ofSetting).hasSize(setting.startsWith("1") ? 9 : 11);
			// The drain figure is the median of the three measured drains.
			assertThat(value(ofSetting, "drain")).isBetween(value(ofSetting, "drain, slowest"),
					value(ofSetting, "drain, fastest"));
		}
		// The second setting is also set against the first, round by round.
		double[] ratios = new double[3];
		List<Double> rates = printed.toString(StandardCharsets.UTF_8)
			.lines()
			.filter((line) -> line.contains("measured drain"))
			.map((line) -> Double.valueOf(line.substring(line.indexOf(": ") + 2, line.indexOf(" jobs/s"))))
			.toList();
		int notBehind = 0;
		// Printed rates are rounded: a round closer than that could go either way.
		int tied = 0;
		for (int round = 0; round < 3; round++) {
			// Turns 1, 2 | 2, 1 | 1, 2, as asserted above.
			double one = rates.get(round * 2 + ((round == 1) ? 1 : 0));
			double two = rates.get(round * 2 + ((round == 1) ? 0 : 1));
			ratios[round] = two / one;
			if (Math.abs(two - one) <= 1) {
				tied++;
			}
			else if (two > one) {
				notBehind++;
			}
		}
		Arrays.sort(ratios);
		List<String> second = ofSetting(lines, "2 JVM x 8 slots, sync");
		assertThat(value(second, "drain / 1 JVM in the same round (median)")).isCloseTo(ratios[1], within(0.01));
		assertThat(value(second, "rounds not behind 1 JVM")).isBetween((double) notBehind, (double) (notBehind + tied));
	}

	private static List<String> ofSetting(List<String> lines, String setting) {
		return lines.stream().filter((line) -> line.contains("\"setting\":\"" + setting + "\"")).toList();
	}

	private static double value(List<String> lines, String metric) {
		String line = lines.stream()
			.filter((candidate) -> candidate.contains("\"metric\":\"" + metric + "\""))
			.findFirst()
			.orElseThrow();
		return Double.parseDouble(line.substring(line.indexOf("\"value\":") + 8, line.indexOf(",\"unit\"")));
	}

	@Test
	void rejectsUnknownOptions() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(new String[] { "--jobz=5" }))
			.withMessageContaining("Unknown options [jobz]");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(new String[] { "--handler=threads" }))
			.withMessageContaining("--handler must be async or sync");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(new String[] { "--warm-up-rounds=0" }))
			.withMessageContaining("--warm-up-rounds must be at least 1");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(new String[] { "--repeats=0" }))
			.withMessageContaining("--repeats must be at least 1");
	}

}
