package io.taskq.listener;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerSlotsTests {

	@Test
	void takesEveryFreeSlotAtOnce() {
		WorkerSlots slots = new WorkerSlots(8);
		assertThat(slots.await(1, 0)).isTrue();
		assertThat(slots.takeAll()).isEqualTo(8);
		assertThat(slots.takeAll()).isZero();
		slots.release(3);
		assertThat(slots.takeAll()).isEqualTo(3);
	}

	@Test
	void waitEndsAtTheTimeoutWhenTooFewSlotsAreFree() {
		WorkerSlots slots = new WorkerSlots(4);
		slots.takeAll();
		slots.release(1);
		long start = System.nanoTime();
		assertThat(slots.await(2, TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
		assertThat(slots.takeAll()).isEqualTo(1);
	}

	@Test
	void releaseWakesTheWaiterOnceEnoughSlotsAreFree() throws Exception {
		WorkerSlots slots = new WorkerSlots(4);
		slots.takeAll();
		CompletableFuture<Boolean> waiting = CompletableFuture
			.supplyAsync(() -> slots.await(3, TimeUnit.SECONDS.toNanos(30)));
		for (int i = 0; i < 3; i++) {
			Thread.sleep(20);
			assertThat(waiting).isNotDone();
			slots.release(1);
		}
		assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(slots.takeAll()).isEqualTo(3);
	}

	@Test
	void interruptionEndsTheWaitAndKeepsTheFlag() throws Exception {
		WorkerSlots slots = new WorkerSlots(1);
		slots.takeAll();
		Thread.currentThread().interrupt();
		try {
			assertThat(slots.await(1, TimeUnit.SECONDS.toNanos(30))).isFalse();
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

}
