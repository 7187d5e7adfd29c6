package io.tessera.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ThrowingRunnable;
import org.awaitility.pollinterval.IterativePollInterval;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The one way tests wait for a condition, in every module (shared through the memory test-jar):
 * Awaitility, polled often (the first check at once, then after 1 ms, backing off to 50 ms)
 * with a deadline that fails the test naming what it waited for.
 */
public final class Await
{
    /** The default deadline: generous, since the build machine is shared and often loaded. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** 1 ms, doubling up to 50 ms: quick for conditions that hold soon, light on a loaded machine. */
    private static final Duration MAX_POLL = Duration.ofMillis(50);
    private static final Function<Duration, Duration> BACK_OFF = d -> d.multipliedBy(2).compareTo(MAX_POLL) > 0 ?
        MAX_POLL : d.multipliedBy(2);

    private Await()
    {
    }

    /**
     * @param what named in the failure message.
     * @return a condition factory with the deadline {@link #DEFAULT_TIMEOUT}, for the rest of Awaitility's API.
     */
    public static ConditionFactory await(final String what)
    {
        return await(what, DEFAULT_TIMEOUT);
    }

    public static ConditionFactory await(final String what, final Duration timeout)
    {
        return Awaitility.await(what)
            .atMost(timeout)
            .pollDelay(Duration.ZERO)
            .pollInterval(IterativePollInterval.iterative(BACK_OFF, Duration.ofMillis(1)))
            .pollInSameThread();
    }

    /** Waits until {@code condition} holds, failing after {@link #DEFAULT_TIMEOUT}. */
    public static void until(final String what, final BooleanSupplier condition)
    {
        await(what).until(condition::getAsBoolean);
    }

    /** Waits until {@code condition} holds, failing after {@code timeout}. */
    public static void until(final String what, final Duration timeout, final BooleanSupplier condition)
    {
        await(what, timeout).until(condition::getAsBoolean);
    }

    /** Waits until {@code assertion} passes, failing with its last error after {@link #DEFAULT_TIMEOUT}. */
    public static void untilAsserted(final String what, final ThrowingRunnable assertion)
    {
        await(what).untilAsserted(assertion);
    }

    /** Waits until {@code supplier} returns a value other than null, and returns it. */
    public static <T> T untilPresent(final String what, final Callable<T> supplier)
    {
        return await(what).until(supplier, v -> v != null);
    }
}
