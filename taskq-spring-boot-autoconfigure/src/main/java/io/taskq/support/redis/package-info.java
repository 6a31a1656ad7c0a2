/**
 * Everything taskq knows of Redis, in one place: key names, the consumer group, the
 * fields of a job on the wire, the templates, and every Lua script (as {@code .lua}
 * resources next to the classes that run them, with one shared prelude) behind typed
 * methods. No other package names a key, the group or a field.
 */
@NullMarked
package io.taskq.support.redis;

import org.jspecify.annotations.NullMarked;
