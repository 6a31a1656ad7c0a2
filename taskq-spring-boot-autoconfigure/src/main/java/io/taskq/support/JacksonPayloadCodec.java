package io.taskq.support;

import java.lang.reflect.Type;

import io.taskq.JobSerializationException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link PayloadCodec} on a Jackson 3 {@link JsonMapper}. Readers are built once per
 * handler; the mapper caches serializers per class, so the hot path does no lookups.
 */
public final class JacksonPayloadCodec implements PayloadCodec {

	private final JsonMapper mapper;

	public JacksonPayloadCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public @Nullable String write(@Nullable Object payload) {
		if (payload == null) {
			return null;
		}
		try {
			return this.mapper.writeValueAsString(payload);
		}
		catch (JacksonException ex) {
			throw new JobSerializationException("Payload of type " + payload.getClass().getName()
					+ " cannot be written as JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	@Override
	public PayloadReader readerFor(Type type) {
		ObjectReader reader = this.mapper.readerFor(this.mapper.constructType(type));
		String typeName = type.getTypeName();
		return (json) -> {
			if (json == null) {
				return null;
			}
			try {
				return reader.readValue(json);
			}
			catch (JacksonException ex) {
				throw new PayloadReadException(typeName, ex.getOriginalMessage(), ex);
			}
		};
	}

}
