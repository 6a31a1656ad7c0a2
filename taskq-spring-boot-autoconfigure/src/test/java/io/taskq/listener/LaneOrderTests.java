package io.taskq.listener;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class LaneOrderTests {

	private static final Map<String, Integer> WEIGHTS = Map.of("critical", 6, "default", 3, "low", 1);

	@Test
	void strictOrderIsTheConfiguredOrder() {
		List<String> lanes = List.of("critical", "default", "low");
		for (int i = 0; i < 10; i++) {
			assertThat(LaneOrder.STRICT.order(lanes, WEIGHTS::get)).containsExactly("critical", "default", "low");
		}
	}

	@Test
	void weightedOrderPutsEachLaneFirstInProportionToItsWeight() {
		LaneOrder order = LaneOrder.weighted(new SplittableRandom(42));
		List<String> lanes = List.of("critical", "default", "low");
		Map<String, Integer> first = new HashMap<>();
		int draws = 10_000;
		for (int i = 0; i < draws; i++) {
			List<String> ordered = order.order(lanes, WEIGHTS::get);
			assertThat(ordered).containsExactlyInAnyOrderElementsOf(lanes);
			first.merge(ordered.get(0), 1, Integer::sum);
		}
		assertThat(first.get("critical") / (double) draws).isCloseTo(0.6, offset(0.03));
		assertThat(first.get("default") / (double) draws).isCloseTo(0.3, offset(0.03));
		assertThat(first.get("low") / (double) draws).isCloseTo(0.1, offset(0.03));
	}

	@Test
	void weightedOrderOfOneLaneIsThatLane() {
		assertThat(LaneOrder.weighted(new SplittableRandom(1)).order(List.of("low"), WEIGHTS::get))
			.containsExactly("low");
	}

}
