package io.taskq.support.redis;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The {@link StringRedisTemplate} of taskq's own components: it hands callbacks and
 * scripts the connection itself rather than a proxy of it. A template builds that proxy
 * (a JDK proxy over every interface of the connection) on each call, a cost on every ack
 * and enqueue; taskq's callbacks never close the connection, the one thing the proxy
 * guards against.
 */
public class TaskqRedisTemplate extends StringRedisTemplate {

	public TaskqRedisTemplate(RedisConnectionFactory connectionFactory) {
		super(connectionFactory);
		setExposeConnection(true);
	}

}
