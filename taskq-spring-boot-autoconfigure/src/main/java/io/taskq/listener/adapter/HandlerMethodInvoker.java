package io.taskq.listener.adapter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.concurrent.CompletionStage;

import io.taskq.JobContext;
import io.taskq.support.PayloadCodec.PayloadReader;
import io.taskq.support.PayloadCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

/**
 * Invokes a handler method with its arguments resolved: at most one payload parameter
 * (any type Jackson can read) and at most one {@link JobContext}, in any order.
 * Everything is prepared once, when the handler is registered; an invocation reads the
 * payload with the prepared reader and calls the method.
 * <p>
 * A method returning a {@link CompletionStage} is asynchronous: its job runs until the
 * stage completes, and the stage's value, if any, is the job's result.
 */
public final class HandlerMethodInvoker {

	private final Object bean;

	private final Method method;

	private final int payloadIndex;

	private final int contextIndex;

	private final int parameterCount;

	private final @Nullable PayloadReader reader;

	private final @Nullable Type payloadType;

	private final PayloadCodec codec;

	private final boolean async;

	private final boolean returnsValue;

	private HandlerMethodInvoker(Object bean, Method method, int payloadIndex, int contextIndex,
			@Nullable Type payloadType, @Nullable PayloadReader reader, PayloadCodec codec) {
		this.bean = bean;
		this.method = method;
		this.payloadIndex = payloadIndex;
		this.contextIndex = contextIndex;
		this.parameterCount = method.getParameterCount();
		this.payloadType = payloadType;
		this.reader = reader;
		this.codec = codec;
		this.async = CompletionStage.class.isAssignableFrom(method.getReturnType());
		this.returnsValue = returnsValue(method, this.async);
	}

	private static boolean returnsValue(Method method, boolean async) {
		Class<?> type = method.getReturnType();
		if (async) {
			// CompletionStage<Void> (or a raw or wildcard stage) completes with no
			// result.
			Class<?> value = ResolvableType.forMethodReturnType(method).as(CompletionStage.class).resolveGeneric(0);
			return value != null && value != Void.class && value != Object.class;
		}
		return type != void.class && type != Void.class;
	}

	/**
	 * Prepares an invoker.
	 * @param bean the bean (a proxy is fine: the method is invoked through it)
	 * @param method the annotated method, as declared on the target class
	 * @param codec reads the payload
	 * @throws IllegalStateException if the method's parameters cannot be resolved
	 */
	public static HandlerMethodInvoker prepare(Object bean, Method method, PayloadCodec codec) {
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		ReflectionUtils.makeAccessible(invocable);
		int payloadIndex = -1;
		int contextIndex = -1;
		Class<?>[] types = method.getParameterTypes();
		Type[] genericTypes = method.getGenericParameterTypes();
		for (int i = 0; i < types.length; i++) {
			if (JobContext.class.isAssignableFrom(types[i])) {
				if (contextIndex >= 0) {
					throw new IllegalStateException("@TaskHandler method " + method.toGenericString()
							+ " declares more than one JobContext parameter");
				}
				contextIndex = i;
			}
			else {
				if (payloadIndex >= 0) {
					throw new IllegalStateException("@TaskHandler method " + method.toGenericString()
							+ " declares more than one payload parameter; use one type holding all the data");
				}
				payloadIndex = i;
			}
		}
		Type payloadType = (payloadIndex >= 0) ? genericTypes[payloadIndex] : null;
		PayloadReader reader = (payloadType != null) ? codec.readerFor(payloadType) : null;
		return new HandlerMethodInvoker(bean, invocable, payloadIndex, contextIndex, payloadType, reader, codec);
	}

	/** The type of the payload the handler takes, {@code null} if it takes none. */
	public @Nullable Type payloadType() {
		return this.payloadType;
	}

	/**
	 * Reads the payload; separate from {@link #invoke} so a payload that does not fit is
	 * told apart from a handler that fails.
	 * @throws io.taskq.support.PayloadReadException if the payload does not fit the type
	 */
	public @Nullable Object readPayload(@Nullable String json) {
		return (this.reader != null) ? this.reader.read(json) : null;
	}

	/**
	 * Calls the handler.
	 * @throws Exception whatever the handler throws, unwrapped
	 */
	public @Nullable Object invoke(@Nullable Object payload, JobContext context) throws Exception {
		Object[] args = new Object[this.parameterCount];
		if (this.payloadIndex >= 0) {
			args[this.payloadIndex] = payload;
		}
		if (this.contextIndex >= 0) {
			args[this.contextIndex] = context;
		}
		try {
			return this.method.invoke(this.bean, args);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			if (target instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	/** Whether the method returns something to keep as the job's result. */
	public boolean returnsValue() {
		return this.returnsValue;
	}

	/**
	 * Whether the method returns a {@link CompletionStage}: its job is done when the
	 * stage completes, not when the method returns.
	 */
	public boolean isAsync() {
		return this.async;
	}

	/**
	 * Writes a handler's return value as JSON.
	 * @throws io.taskq.JobSerializationException if it cannot be written
	 */
	public @Nullable String writeResult(@Nullable Object result) {
		return this.codec.write(result);
	}

	public Method method() {
		return this.method;
	}

}
