package io.taskq.bench;

/**
 * One drain: enqueue and drain rates (jobs/s), the workers' CPU seconds while it ran, the
 * part of them their JIT compilers took, the Redis server's CPU seconds, and the jobs per
 * XREADGROUP and per ack script call (the batches the workers achieved), and the commands
 * Redis read per socket read (how many each write of a client carried).
 */
record Drain(int jobs, double enqueueRate, double rate, double workerCpuSeconds, double compilerCpuSeconds,
		double redisCpuSeconds, double jobsPerRead, double jobsPerAck, double commandsPerSocketRead) {

	double compilerShare() {
		return this.compilerCpuSeconds / this.workerCpuSeconds;
	}

	/** Microseconds of CPU per job: where a drain's two cores went. */
	double workerMicrosPerJob() {
		return this.workerCpuSeconds * 1e6 / this.jobs;
	}

	double redisMicrosPerJob() {
		return this.redisCpuSeconds * 1e6 / this.jobs;
	}

}
