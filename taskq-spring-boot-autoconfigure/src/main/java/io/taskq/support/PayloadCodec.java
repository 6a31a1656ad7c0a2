package io.taskq.support;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

/**
 * Turns payloads into JSON text and back. The default is Jackson without default typing,
 * so a payload can never name the class it is read into. Replace the bean to change it.
 */
public interface PayloadCodec {

	/**
	 * Writes a payload.
	 * @throws io.taskq.JobSerializationException if it cannot be written
	 */
	@Nullable String write(@Nullable Object payload);

	/** A reader prepared once for a handler's payload type. */
	PayloadReader readerFor(Type type);

	/**
	 * Reads payloads of one type.
	 */
	@FunctionalInterface
	interface PayloadReader {

		/**
		 * @throws PayloadReadException if the JSON does not fit the type
		 */
		@Nullable Object read(@Nullable String json);

	}

}
