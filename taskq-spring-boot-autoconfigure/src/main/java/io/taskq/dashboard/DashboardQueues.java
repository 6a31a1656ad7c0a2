package io.taskq.dashboard;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.taskq.fleet.FleetReader;
import io.taskq.fleet.FleetViews.Instance;

/**
 * The queues the dashboard shows: those this application handles or configures, and those
 * any live instance of the fleet serves.
 */
class DashboardQueues {

	private final Supplier<Collection<String>> local;

	private final FleetReader fleet;

	DashboardQueues(Supplier<Collection<String>> local, FleetReader fleet) {
		this.local = local;
		this.fleet = fleet;
	}

	List<String> names() {
		TreeSet<String> names = new TreeSet<>(this.local.get());
		for (Instance instance : this.fleet.instances()) {
			names.addAll(instance.queues());
		}
		return List.copyOf(names);
	}

}
