package io.tessera.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Captured task output waiting to be written and shipped: a bounded queue of lines, each for a job.
 * Offering never blocks: a full queue drops the line and counts it for its job, and the next drain
 * puts a {@code … N lines dropped} marker where the lost lines were, so a task printing a flood
 * neither stalls nor fills the heap.
 */
public final class BoundedLines
{
    /** One captured line: the job it belongs to, whether it went to stderr, and the text (prefix included). */
    public record Line(String job, boolean err, String text)
    {
    }

    private final ArrayBlockingQueue<Line> queue;
    private final String markerPrefix;
    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
    private final AtomicLong droppedTotal = new AtomicLong();

    /** A queue of at most {@code capacity} lines; its drop markers start with {@code markerPrefix}. */
    public BoundedLines(int capacity, String markerPrefix)
    {
        this.markerPrefix = markerPrefix;
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("capacity must be > 0, got " + capacity);
        }
        queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues a line; false when the queue is full (the line is dropped and counted for its job). */
    public boolean offer(Line line)
    {
        if (queue.offer(line))
        {
            return true;
        }
        dropped.computeIfAbsent(line.job(), j -> new AtomicLong()).incrementAndGet();
        droppedTotal.incrementAndGet();
        return false;
    }

    /**
     * Moves the queued lines into {@code into}, waiting up to {@code waitMs} for the first one; a job
     * that lost lines since the last drain gets a marker line (on stderr) after its queued ones.
     *
     * @return how many lines were added, markers included
     */
    public int drain(List<Line> into, long waitMs) throws InterruptedException
    {
        final int before = into.size();
        final Line first = queue.poll(waitMs, TimeUnit.MILLISECONDS);
        if (first != null)
        {
            into.add(first);
            queue.drainTo(into);
        }
        for (Map.Entry<String, AtomicLong> e : dropped.entrySet())
        {
            final long n = e.getValue().getAndSet(0);
            if (n > 0)
            {
                into.add(new Line(e.getKey(), true, marker(n)));
            }
        }
        return into.size() - before;
    }

    /** The marker line put where {@code n} lines were dropped. */
    public String marker(long n)
    {
        return markerPrefix + "… " + n + " lines dropped (task output came faster than it could be shipped)";
    }

    /** Lines dropped so far, all jobs together. */
    public long droppedTotal()
    {
        return droppedTotal.get();
    }
}
