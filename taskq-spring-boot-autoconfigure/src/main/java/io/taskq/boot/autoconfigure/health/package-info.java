@NullMarked
package io.taskq.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
