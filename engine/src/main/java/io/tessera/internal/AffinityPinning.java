package io.tessera.internal;

import io.tessera.scheduler.ThreadPinning;
import net.openhft.affinity.AffinityLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins each scheduler thread to a core of its own with OpenHFT's {@link AffinityLock}
 * ({@link io.tessera.TesseraConfig#pinThreads()}): the dispatcher and the workers take the reservable cores
 * in turn (OpenHFT's {@code affinity.reserved}, by default every CPU but 0); a thread that finds none left
 * runs unpinned. The lock is released as the thread ends.
 */
final class AffinityPinning implements ThreadPinning
{
    private static final Logger LOG = LoggerFactory.getLogger(AffinityPinning.class);

    @Override
    public Runnable pin(String threadName)
    {
        final AffinityLock lock = AffinityLock.acquireLock();
        if (lock.isAllocated())
        {
            LOG.debug("{} pinned to CPU {}", threadName, lock.cpuId());
        }
        else
        {
            LOG.warn("{} runs unpinned: no reservable CPU left (OpenHFT affinity.reserved)", threadName);
        }
        return lock::release;
    }
}
