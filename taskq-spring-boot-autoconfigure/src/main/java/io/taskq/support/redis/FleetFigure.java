package io.taskq.support.redis;

/**
 * One figure of an instance's report: a field of the figures hashes and how it combines
 * with what other instances wrote there.
 *
 * @param field the hash field (see {@link FleetKeys})
 * @param keepLarger {@code true} to keep the larger of the two values (a maximum),
 * {@code false} to add this value (a count or sum)
 * @param value the value
 */
public record FleetFigure(String field, boolean keepLarger, long value) {

}
