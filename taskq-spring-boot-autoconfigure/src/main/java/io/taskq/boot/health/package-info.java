@NullMarked
package io.taskq.boot.health;

import org.jspecify.annotations.NullMarked;
