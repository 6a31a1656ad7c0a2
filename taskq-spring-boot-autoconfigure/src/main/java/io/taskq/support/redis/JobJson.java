package io.taskq.support.redis;

import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * taskq's own JSON for what it stores beside the stream (delayed jobs, dead-job records).
 * Deliberately a private mapper: the application's mapper configuration must not change
 * the layout the Lua scripts read.
 */
public final class JobJson {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {
	};

	private JobJson() {
	}

	public static String writeFields(Map<String, String> fields) {
		return MAPPER.writeValueAsString(fields);
	}

	public static Map<String, String> readFields(String json) {
		return MAPPER.readValue(json, FIELDS);
	}

	public static String writeDead(DeadJobRecord record) {
		return MAPPER.writeValueAsString(record);
	}

	public static DeadJobRecord readDead(String json) {
		return MAPPER.readValue(json, DeadJobRecord.class);
	}

}
