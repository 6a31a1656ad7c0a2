package io.taskq.listener.adapter;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.taskq.support.JacksonPayloadCodec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which handler methods are asynchronous and which keep a result (and so are tracked by
 * default).
 */
class HandlerMethodInvokerTests {

	@Test
	void plainMethods() {
		assertThat(invoker("nothing").isAsync()).isFalse();
		assertThat(invoker("nothing").returnsValue()).isFalse();
		assertThat(invoker("boxedNothing").returnsValue()).isFalse();
		assertThat(invoker("text").isAsync()).isFalse();
		assertThat(invoker("text").returnsValue()).isTrue();
	}

	@Test
	void stagesAreAsynchronousAndKeepAResultOnlyOfAConcreteType() {
		assertThat(invoker("stageOfText").isAsync()).isTrue();
		assertThat(invoker("stageOfText").returnsValue()).isTrue();
		assertThat(invoker("futureOfNumber").isAsync()).isTrue();
		assertThat(invoker("futureOfNumber").returnsValue()).isTrue();
		assertThat(invoker("stageOfVoid").returnsValue()).isFalse();
		assertThat(invoker("stageOfAnything").returnsValue()).isFalse();
		assertThat(invoker("rawStage").isAsync()).isTrue();
		assertThat(invoker("rawStage").returnsValue()).isFalse();
	}

	private static HandlerMethodInvoker invoker(String name) {
		Method method = ReflectionUtils.findMethod(Handlers.class, name, (Class<?>[]) null);
		return HandlerMethodInvoker.prepare(new Handlers(), method,
				new JacksonPayloadCodec(JsonMapper.builder().build()));
	}

	@SuppressWarnings({ "rawtypes", "unused" })
	static class Handlers {

		void nothing() {
		}

		Void boxedNothing() {
			return null;
		}

		String text() {
			return "";
		}

		CompletionStage<String> stageOfText() {
			return null;
		}

		CompletableFuture<Integer> futureOfNumber() {
			return null;
		}

		CompletionStage<Void> stageOfVoid() {
			return null;
		}

		CompletionStage<?> stageOfAnything() {
			return null;
		}

		CompletionStage rawStage() {
			return null;
		}

	}

}
