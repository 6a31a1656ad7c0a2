package io.taskq.boot.autoconfigure;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Lets each Lettuce connection write the commands that many threads send at once with one
 * socket write instead of one each. Lettuce flushes every command; with dozens of worker
 * threads sharing a connection, the event loop then spends much of its time in one
 * {@code write} system call per command. Netty's {@link FlushConsolidationHandler} defers
 * a flush until the commands already queued on the event loop are written, which adds no
 * timer and no wait.
 */
final class FlushConsolidatingNettyCustomizer implements NettyCustomizer {

	/** Flush at the latest after this many consolidated flushes. */
	static final int MAX_CONSOLIDATED_FLUSHES = 256;

	@Override
	public void afterChannelInitialized(Channel channel) {
		channel.pipeline().addFirst(new FlushConsolidationHandler(MAX_CONSOLIDATED_FLUSHES, true));
	}

}
