package io.taskq.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects figures, prints them as a table and appends them as JSON lines (one object per
 * figure: workload, setting, metric, value, unit).
 */
final class BenchResults {

	private final List<Figure> figures = new ArrayList<>();

	private final Path json;

	BenchResults(Path json) {
		this.json = json;
	}

	void add(String workload, String setting, String metric, double value, String unit) {
		Figure figure = new Figure(workload, setting, metric, value, unit);
		this.figures.add(figure);
		System.out.printf(Locale.ROOT, "  %-11s %-24s %-26s %14.3f %s%n", workload, setting, metric, value, unit);
		try {
			Files.writeString(this.json, figure.toJson() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void printTable() {
		System.out.println();
		System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", "workload", "setting", "metric", "value",
				"unit");
		System.out.println("| --- | --- | --- | ---: | --- |");
		for (Figure figure : this.figures) {
			System.out.printf(Locale.ROOT, "| %s | %s | %s | %.3f | %s |%n", figure.workload(), figure.setting(),
					figure.metric(), figure.value(), figure.unit());
		}
		System.out.println("(JSON lines in " + this.json.toAbsolutePath() + ")");
	}

	record Figure(String workload, String setting, String metric, double value, String unit) {

		String toJson() {
			return String.format(Locale.ROOT,
					"{\"workload\":\"%s\",\"setting\":\"%s\",\"metric\":\"%s\",\"value\":%.4f,\"unit\":\"%s\"}",
					this.workload, this.setting, this.metric, this.value, this.unit);
		}

	}

}
