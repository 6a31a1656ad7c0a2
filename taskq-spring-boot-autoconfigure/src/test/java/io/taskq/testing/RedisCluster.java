package io.taskq.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster of {@code n} primaries on loopback, built without redis-cli: slots
 * are assigned with CLUSTER ADDSLOTS and the nodes joined with CLUSTER MEET.
 */
public final class RedisCluster implements AutoCloseable {

	private static final int SLOTS = 16384;

	private final List<RedisServer> nodes;

	private RedisCluster(List<RedisServer> nodes) {
		this.nodes = nodes;
	}

	public static RedisCluster start(int primaries) {
		List<RedisServer> nodes = new ArrayList<>();
		try {
			for (int i = 0; i < primaries; i++) {
				nodes.add(RedisServer.startOnPort(portWithFreeBusPort(), "--cluster-enabled", "yes",
						"--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"));
			}
			for (int i = 0; i < primaries; i++) {
				List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
				for (int slot = i * SLOTS / primaries; slot < (i + 1) * SLOTS / primaries; slot++) {
					command.add(Integer.toString(slot));
				}
				check(nodes.get(i).command(command.toArray(String[]::new)));
			}
			for (int i = 1; i < primaries; i++) {
				check(nodes.get(0).command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.get(i).port())));
			}
			RedisCluster cluster = new RedisCluster(nodes);
			cluster.awaitOk();
			return cluster;
		}
		catch (RuntimeException ex) {
			nodes.forEach(RedisServer::close);
			throw ex;
		}
	}

	/** {@code host:port,...} for {@code spring.data.redis.cluster.nodes}. */
	public String nodes() {
		return this.nodes.stream().map((node) -> node.host() + ":" + node.port()).collect(Collectors.joining(","));
	}

	public List<RedisServer> servers() {
		return this.nodes;
	}

	private void awaitOk() {
		long deadline = System.currentTimeMillis() + 30_000;
		while (System.currentTimeMillis() < deadline) {
			if (this.nodes.stream().allMatch((node) -> node.command("CLUSTER", "INFO").contains("cluster_state:ok"))) {
				return;
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new IllegalStateException(
				"Cluster did not reach state ok: " + this.nodes.get(0).command("CLUSTER", "INFO"));
	}

	private static void check(String reply) {
		if (reply.startsWith("ERR:")) {
			throw new IllegalStateException("Cluster set-up failed: " + reply);
		}
	}

	/** A port whose cluster bus port (port + 10000) is free and valid too. */
	private static int portWithFreeBusPort() {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20000, 30000);
			if (isFree(port) && isFree(port + 10000)) {
				return port;
			}
		}
		throw new IllegalStateException("No free port pair for a cluster node");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		this.nodes.forEach(RedisServer::close);
	}

}
