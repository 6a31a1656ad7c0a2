package io.taskq.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.function.ToIntFunction;

/**
 * The order in which a container offers its free worker slots to its queues on each
 * fetch: strict (always the configured order, so a lower queue only gets slots the higher
 * ones leave free) or weighted (a fresh random order each time, each queue first with a
 * chance proportional to its weight, as Sidekiq's weighted queues do, so no queue
 * starves).
 */
@FunctionalInterface
interface LaneOrder {

	/**
	 * Strict priority: the lanes as given.
	 */
	LaneOrder STRICT = new LaneOrder() {

		@Override
		public <T> List<T> order(List<T> lanes, ToIntFunction<T> weight) {
			return lanes;
		}

	};

	/**
	 * @param lanes the lanes to order, highest priority first
	 * @param weight the weight of a lane; only weighted orders read it
	 * @return the lanes in the order to offer slots to
	 */
	<T> List<T> order(List<T> lanes, ToIntFunction<T> weight);

	/**
	 * A weighted random order: the first lane is drawn with a chance proportional to its
	 * weight, the next among the rest likewise, and so on.
	 */
	static LaneOrder weighted(RandomGenerator random) {
		return new LaneOrder() {

			@Override
			public <T> List<T> order(List<T> lanes, ToIntFunction<T> weight) {
				if (lanes.size() < 2) {
					return lanes;
				}
				List<T> remaining = new ArrayList<>(lanes);
				List<T> ordered = new ArrayList<>(lanes.size());
				int total = 0;
				for (T lane : lanes) {
					total += weight.applyAsInt(lane);
				}
				while (remaining.size() > 1) {
					int draw = random.nextInt(total);
					for (int i = 0;; i++) {
						int laneWeight = weight.applyAsInt(remaining.get(i));
						draw -= laneWeight;
						if (draw < 0) {
							ordered.add(remaining.remove(i));
							total -= laneWeight;
							break;
						}
					}
				}
				ordered.add(remaining.get(0));
				return ordered;
			}

		};
	}

}
