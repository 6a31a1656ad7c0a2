package io.taskq.client;

import java.util.List;

import io.taskq.support.QueueControlMessages;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.QueueKeys;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link QueueControl} on a flag key per queue, announced on the queue's wake channel so
 * running containers react at once; they also re-read the flag now and then, in case an
 * announcement was missed.
 */
class RedisQueueControl implements QueueControl {

	private final StringRedisTemplate redis;

	private final KeySpace keys;

	public RedisQueueControl(StringRedisTemplate redis, KeySpace keys) {
		this.redis = redis;
		this.keys = keys;
	}

	@Override
	public void pause(String queue) {
		QueueKeys queueKeys = this.keys.queue(queue);
		this.redis.opsForValue().set(queueKeys.paused(), "1");
		this.redis.convertAndSend(queueKeys.wakeChannel(), QueueControlMessages.PAUSE);
	}

	@Override
	public void resume(String queue) {
		QueueKeys queueKeys = this.keys.queue(queue);
		this.redis.delete(List.of(queueKeys.paused()));
		this.redis.convertAndSend(queueKeys.wakeChannel(), QueueControlMessages.RESUME);
	}

	@Override
	public boolean isPaused(String queue) {
		return Boolean.TRUE.equals(this.redis.hasKey(this.keys.queue(queue).paused()));
	}

}
