package io.taskq.listener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.taskq.support.redis.StreamScripts;
import io.taskq.support.redis.TaskqScript;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ack.lua} on a real Redis, with entry ids chosen by the test: finished entries
 * leave the stream by a trim up to the oldest pending entry, or when the caller passes
 * them again to be deleted, and no entry still pending or not yet delivered is ever
 * removed.
 */
class AckScriptIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final String STREAM = "taskq:{q}:stream";

	private static final String SCRIPT = TaskqScript.load(StreamScripts.class, "ack.lua", String.class)
		.getScriptAsString();

	@BeforeEach
	void createGroup() {
		command("XGROUP", "CREATE", STREAM, "taskq", "0", "MKSTREAM");
	}

	@Test
	void trimsUpToTheOldestPendingEntryAndLeavesTheFinishedOnesAfterIt() {
		add("1000-0", "1001-0", "1002-0", "1002-1", "1003-0", "5000-0");
		assertThat(deliver(10)).containsExactly("1000-0", "1001-0", "1002-0", "1002-1", "1003-0", "5000-0");
		// The reply names the oldest pending entry: the caller deletes those it left
		// after it if they are still there later.
		assertThat(ack("1000-0", "1002-1", "5000-0")).isEqualTo("1001-0");
		assertThat(entries()).containsExactly("1001-0", "1002-0", "1002-1", "1003-0", "5000-0");
		assertThat(pending()).containsExactly("1001-0", "1002-0", "1003-0");
		assertThat(ackAndDelete(List.of("1002-0"), List.of("1002-1"))).isEqualTo("1001-0");
		assertThat(entries()).containsExactly("1001-0", "1002-0", "1003-0", "5000-0");
		// Nothing pending: trimmed up to the last delivered entry, the one left too.
		assertThat(ack("1001-0", "1003-0")).isEqualTo("");
		assertThat(entries()).isEmpty();
		assertThat(ackAndDelete(List.of(), List.of("5000-0"))).isEqualTo("-");
		assertThat(command("XLEN", STREAM)).isEqualTo("0");
	}

	@Test
	void neverRemovesEntriesNotYetDelivered() {
		add("1000-0", "1000-1", "1000-2", "1000-3", "1001-0");
		assertThat(deliver(3)).containsExactly("1000-0", "1000-1", "1000-2");
		command("CONFIG", "RESETSTAT");
		assertThat(ack("1000-0", "1000-1", "1000-2")).isEqualTo("");
		assertThat(entries()).containsExactly("1000-3", "1001-0");
		// Trimmed, not deleted one by one: XDEL is what made acks expensive.
		assertThat(command("INFO", "commandstats")).contains("cmdstat_xtrim").doesNotContain("cmdstat_xdel");
		// Written again after a failure: nothing more is acknowledged or removed.
		assertThat(ack("1000-0", "1000-1", "1000-2")).isEqualTo("-");
		assertThat(entries()).containsExactly("1000-3", "1001-0");
		assertThat(deliver(10)).containsExactly("1000-3", "1001-0");
	}

	@Test
	void withNothingPendingRemovesEntriesLeftByAConsumerThatDied() {
		add("1000-0", "1001-0", "1002-0", "1003-0");
		deliver(3);
		// Left after the pending one, and never passed again: their consumer died.
		assertThat(ack("1001-0", "1002-0")).isEqualTo("1000-0");
		assertThat(entries()).containsExactly("1000-0", "1001-0", "1002-0", "1003-0");
		assertThat(ack("1000-0")).isEqualTo("");
		assertThat(entries()).containsExactly("1003-0");
		assertThat(deliver(10)).containsExactly("1003-0");
	}

	@Test
	void acknowledgesNothingOnceTheStreamIsGone() {
		add("1000-0");
		deliver(1);
		command("DEL", STREAM);
		assertThat(ack("1000-0")).isEqualTo("-");
		assertThat(command("EXISTS", STREAM)).isEqualTo("0");
	}

	private static void add(String... ids) {
		for (String id : ids) {
			command("XADD", STREAM, id, "task", "t");
		}
	}

	private static List<String> deliver(int count) {
		return lines(command("EVAL", """
				local ids = {}
				local read = redis.call('XREADGROUP', 'GROUP', 'taskq', 'c', 'COUNT', ARGV[1], 'STREAMS', KEYS[1], '>')
				if read then
				  for _, entry in ipairs(read[1][2]) do ids[#ids + 1] = entry[1] end
				end
				return ids""", "1", STREAM, Integer.toString(count)));
	}

	private static String ack(String... ids) {
		return ackAndDelete(Arrays.asList(ids), List.of());
	}

	private static String ackAndDelete(List<String> acks, List<String> deletes) {
		List<String> arguments = new ArrayList<>(
				List.of("EVAL", SCRIPT, "1", STREAM, "taskq", Integer.toString(acks.size())));
		arguments.addAll(acks);
		arguments.addAll(deletes);
		return command(arguments.toArray(String[]::new));
	}

	private static List<String> entries() {
		return lines(command("EVAL", """
				local ids = {}
				for _, entry in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do ids[#ids + 1] = entry[1] end
				return ids""", "1", STREAM));
	}

	private static List<String> pending() {
		return lines(command("EVAL",
				"""
						local ids = {}
						for _, entry in ipairs(redis.call('XPENDING', KEYS[1], 'taskq', '-', '+', 100)) do ids[#ids + 1] = entry[1] end
						return ids""",
				"1", STREAM));
	}

	private static String command(String... arguments) {
		String reply = redis.server().command(arguments);
		assertThat(reply).doesNotStartWith("ERR:");
		return reply;
	}

	private static List<String> lines(String reply) {
		return reply.isEmpty() ? List.of() : List.of(reply.split("\n"));
	}

}
