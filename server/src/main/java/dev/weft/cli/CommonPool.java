package dev.weft.cli;

import java.util.Properties;
import java.util.concurrent.ForkJoinPool;

/**
 * Gives the JVM's common pool at least two threads, so that asynchronous completions never cost a new thread.
 * The JDK HTTP client completes every {@code sendAsync} on {@code CompletableFuture}'s default executor, and with a
 * common pool of one thread (the JVM's choice on a machine of two cores or fewer) that executor starts a thread per
 * completion: one per http step, a tenth of the server's CPU under W3 (docs/benchmarks.md, issue 17 item 6).
 */
final class CommonPool {

    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPool() {}

    /**
     * Sets the common pool's parallelism to 2 unless the JVM's default is already higher or it is set explicitly.
     * Has effect only before {@link ForkJoinPool} is first used: call it first thing in {@code main}.
     */
    static void atLeastTwoThreads() {
        atLeastTwoThreads(System.getProperties(), Runtime.getRuntime().availableProcessors());
    }

    /** Sets {@link #PARALLELISM} in {@code properties} to 2 for a machine of {@code processors} when unset. */
    static void atLeastTwoThreads(Properties properties, int processors) {
        // the JVM's default parallelism is processors - 1; below 2, CompletableFuture runs async work on new threads
        if (properties.getProperty(PARALLELISM) == null && processors - 1 < 2) properties.setProperty(PARALLELISM, "2");
    }
}
