@NullMarked
package io.taskq.listener.adapter;

import org.jspecify.annotations.NullMarked;
