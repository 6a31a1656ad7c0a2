package io.taskq.integration;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.taskq.support.redis.TaskqScript;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.script.DigestUtils;
import org.springframework.util.ClassUtils;

/**
 * Makes one of taskq's Lua scripts fail on one app instance as a Redis timeout would: the
 * first instance that runs the script becomes the victim, and its calls fail while the
 * fault lasts; every other call, and every other instance, reaches Redis as usual.
 * Register it as a (static) bean; it wraps the app's {@link RedisConnectionFactory}.
 */
final class ScriptFaults implements BeanPostProcessor {

	private final Map<String, Fault> faults = new ConcurrentHashMap<>();

	/**
	 * Fails the victim's first {@code calls} calls of the script {@code name} of the
	 * class {@code owner} (its resource is next to that class).
	 */
	static Fault failingCalls(Class<?> owner, String name, int calls) {
		return new Fault(sha1(owner, name), calls, Long.MAX_VALUE);
	}

	/** Fails every call of the victim's for {@code millis} after its first call. */
	static Fault failingFor(Class<?> owner, String name, long millis) {
		return new Fault(sha1(owner, name), Integer.MAX_VALUE, millis);
	}

	ScriptFaults(Fault... faults) {
		for (Fault fault : faults) {
			this.faults.put(fault.sha1, fault);
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof RedisConnectionFactory)) {
			return bean;
		}
		return proxy(bean, (proxy, method, args) -> {
			Object result = invoke(bean, method, args);
			return (result instanceof RedisConnection connection) ? connection(connection) : result;
		});
	}

	private Object connection(RedisConnection connection) {
		return proxy(connection, (proxy, method, args) -> {
			if (args != null && args.length > 0 && method.getName().startsWith("eval")) {
				String sha1 = (args[0] instanceof String sha) ? sha
						: DigestUtils.sha1DigestAsHex(new String((byte[]) args[0], StandardCharsets.UTF_8));
				Fault fault = this.faults.get(sha1);
				if (fault != null && fault.fails(this)) {
					throw new QueryTimeoutException("Redis command timed out (injected by the test)");
				}
			}
			return invoke(connection, method, args);
		});
	}

	private static Object proxy(Object target, InvocationHandler handler) {
		Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(target.getClass());
		return Proxy.newProxyInstance(ScriptFaults.class.getClassLoader(), interfaces, handler);
	}

	private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	/** As the script is sent: loaded as taskq loads it, shared prelude included. */
	private static String sha1(Class<?> owner, String name) {
		return TaskqScript.load(owner, name, Object.class).getSha1();
	}

	/** One script's fault, shared by the instances of a test. */
	static final class Fault {

		private final String sha1;

		private final AtomicInteger callsLeft;

		private final long millis;

		private final AtomicReference<ScriptFaults> victim = new AtomicReference<>();

		private final AtomicLong firstCall = new AtomicLong();

		private final AtomicInteger failed = new AtomicInteger();

		private Fault(String sha1, int calls, long millis) {
			this.sha1 = sha1;
			this.callsLeft = new AtomicInteger(calls);
			this.millis = millis;
		}

		/** How many calls this fault failed. */
		int failed() {
			return this.failed.get();
		}

		private boolean fails(ScriptFaults instance) {
			if (!this.victim.compareAndSet(null, instance) && this.victim.get() != instance) {
				return false;
			}
			long now = System.currentTimeMillis();
			this.firstCall.compareAndSet(0, now);
			boolean fails = now - this.firstCall.get() < this.millis && this.callsLeft.getAndDecrement() > 0;
			if (fails) {
				this.failed.incrementAndGet();
			}
			return fails;
		}

	}

}
