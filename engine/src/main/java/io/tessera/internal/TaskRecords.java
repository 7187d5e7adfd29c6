package io.tessera.internal;

import io.tessera.state.TaskInfo;
import io.tessera.state.TaskStatus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's task records: a bounded ring of preallocated slots, the newest {@code capacity} kept (older
 * ones are overwritten and counted as dropped). A task claims a record at submit (one sequence
 * increment) and then writes plain fields into its slot at args-ready, start, end and retry: no lock, no
 * allocation. Each write is bracketed by a slot version (odd while writing), so a reader takes a
 * consistent copy or retries; a late write for a record whose slot was taken by a newer task is skipped.
 * Capacity 0 turns recording off ({@code tessera.taskRecords=0}).
 */
final class TaskRecords
{
    /** The capacity when {@code tessera.taskRecords} is not set. */
    static final int DEFAULT_CAPACITY = 10_000;
    /** Returned by {@link #submitted} when recording is off. */
    static final long NONE = -1;

    private static final VarHandle VERSION;
    private static final TaskStatus[] STATES = TaskStatus.values();

    static
    {
        try
        {
            VERSION = MethodHandles.lookup().findVarHandle(Slot.class, "version", long.class);
        }
        catch (ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Slot[] slots;
    private final AtomicLong next = new AtomicLong();
    private final long epochBaseMs = System.currentTimeMillis();
    private final long nanoBase = System.nanoTime();

    TaskRecords(int capacity)
    {
        if (capacity < 0)
        {
            throw new IllegalArgumentException("tessera.taskRecords must be 0 (off) or more, got " + capacity);
        }
        slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++)
        {
            slots[i] = new Slot();
        }
    }

    /** The capacity from the system property {@code tessera.taskRecords}. */
    static int configuredCapacity()
    {
        final String p = System.getProperty("tessera.taskRecords");
        if (p == null || p.isBlank())
        {
            return DEFAULT_CAPACITY;
        }
        try
        {
            return Integer.parseInt(p.trim());
        }
        catch (NumberFormatException ex)
        {
            throw new IllegalArgumentException("tessera.taskRecords must be a whole number (0 = off), got '" + p + "'", ex);
        }
    }

    int capacity()
    {
        return slots.length;
    }

    /** Records lost to newer ones. */
    long dropped()
    {
        return Math.max(0, next.get() - slots.length);
    }

    /**
     * A task was submitted here; returns its record (for the later writes), or {@link #NONE} when off.
     * {@code nowNs} is the submission's {@link System#nanoTime()} when the caller read it already (the task metrics
     * do), else 0 and the ring reads the clock: one clock read per event, shared.
     */
    long submitted(long idHi, long idLo, String function, String jobId, boolean waitingForArgs, long nowNs)
    {
        if (slots.length == 0)
        {
            return NONE;
        }
        final long rec = next.getAndIncrement();
        final Slot s = slots[(int) (rec % slots.length)];
        final long now = nowNs != 0 ? nowNs : System.nanoTime();
        final long v = begin(s);
        s.record = rec;
        s.idHi = idHi;
        s.idLo = idLo;
        s.function = function;
        s.jobId = jobId;
        s.state = (waitingForArgs ? TaskStatus.WAITING_FOR_ARGS : TaskStatus.WAITING_FOR_RESOURCES).ordinal();
        s.attempt = 0;
        s.submitNs = now;
        s.argsReadyNs = waitingForArgs ? 0 : now;
        s.startNs = 0;
        s.endNs = 0;
        s.worker = null;
        s.error = null;
        end(s, v);
        return rec;
    }

    /** The task's last argument became ready. */
    void argsReady(long rec)
    {
        final Slot s = owned(rec);
        if (s != null)
        {
            final long now = System.nanoTime();
            final long v = begin(s);
            s.argsReadyNs = now;
            if (s.state == TaskStatus.WAITING_FOR_ARGS.ordinal())
            {
                s.state = TaskStatus.WAITING_FOR_RESOURCES.ordinal();
            }
            end(s, v);
        }
    }

    /** The task started on {@code worker} at {@code nowNs} ({@link System#nanoTime()}, or 0: the ring reads it). */
    void started(long rec, Thread worker, long nowNs)
    {
        final Slot s = owned(rec);
        if (s != null)
        {
            final long now = nowNs != 0 ? nowNs : System.nanoTime();
            final long v = begin(s);
            if (s.argsReadyNs == 0)
            {
                s.argsReadyNs = now;
            }
            s.startNs = now;
            s.worker = worker;
            s.state = TaskStatus.RUNNING.ordinal();
            end(s, v);
        }
    }

    /** The task ended: {@code state} is FINISHED, FAILED (with the error's one-line message) or CANCELLED. */
    void ended(long rec, TaskStatus state, String error)
    {
        final Slot s = owned(rec);
        if (s != null)
        {
            final long now = System.nanoTime();
            final long v = begin(s);
            s.endNs = now;
            s.state = state.ordinal();
            s.error = error;
            end(s, v);
        }
    }

    /** The task failed and runs again as attempt {@code attempt}. */
    void retried(long rec, int attempt)
    {
        final Slot s = owned(rec);
        if (s != null)
        {
            final long v = begin(s);
            s.attempt = attempt;
            s.state = TaskStatus.WAITING_FOR_RESOURCES.ordinal();
            s.startNs = 0;
            s.endNs = 0;
            s.worker = null;
            end(s, v);
        }
    }

    /** A consistent copy of every record held, oldest first. */
    List<TaskInfo> snapshot(String nodeId)
    {
        final long last = next.get();
        final long first = Math.max(0, last - slots.length);
        final List<TaskInfo> out = new ArrayList<>((int) (last - first));
        for (long rec = first; rec < last; rec++)
        {
            final TaskInfo t = read(slots[(int) (rec % slots.length)], rec, nodeId);
            if (t != null)
            {
                out.add(t);
            }
        }
        return out;
    }

    private TaskInfo read(Slot s, long rec, String nodeId)
    {
        while (true)
        {
            final long v = (long) VERSION.getAcquire(s);
            if ((v & 1) != 0)
            {
                Thread.onSpinWait();
                continue;
            }
            final long record = s.record;
            final long idHi = s.idHi;
            final long idLo = s.idLo;
            final String function = s.function;
            final String jobId = s.jobId;
            final int state = s.state;
            final int attempt = s.attempt;
            final long submitNs = s.submitNs;
            final long argsReadyNs = s.argsReadyNs;
            final long startNs = s.startNs;
            final long endNs = s.endNs;
            final Thread worker = s.worker;
            final String error = s.error;
            VarHandle.loadLoadFence();
            if ((long) VERSION.getAcquire(s) != v)
            {
                continue;
            }
            if (record != rec)
            {
                return null;
            }
            final long waitForArgs = argsReadyNs == 0 ? 0 : argsReadyNs - submitNs;
            final long queue = startNs == 0 || argsReadyNs == 0 ? 0 : startNs - argsReadyNs;
            final long run = endNs == 0 || startNs == 0 ? 0 : endNs - startNs;
            return new TaskInfo(Long.toHexString(idHi) + '-' + Long.toHexString(idLo), function, STATES[state], nodeId,
                worker == null ? null : worker.getName(), jobId, attempt, epochMs(submitNs), waitForArgs, queue, run,
                error, startNs == 0 ? 0 : epochUs(startNs));
        }
    }

    /** A failure's first line, for a task record. */
    static String oneLine(Throwable t)
    {
        if (t == null)
        {
            return null;
        }
        final String s = t.toString();
        final int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private long epochMs(long ns)
    {
        return epochBaseMs + Math.floorDiv(ns - nanoBase, 1_000_000L);
    }

    private long epochUs(long ns)
    {
        return epochBaseMs * 1000 + Math.floorDiv(ns - nanoBase, 1000L);
    }

    private Slot owned(long rec)
    {
        if (rec < 0)
        {
            return null;
        }
        final Slot s = slots[(int) (rec % slots.length)];
        return s.record == rec ? s : null;
    }

    private static long begin(Slot s)
    {
        final long v = ((long) VERSION.getOpaque(s) + 1) | 1;
        VERSION.setOpaque(s, v);
        VarHandle.storeStoreFence();
        return v;
    }

    private static void end(Slot s, long v)
    {
        VERSION.setRelease(s, v + 1);
    }

    /** One record; written only between {@link #begin} and {@link #end}. */
    /** Padding before a slot's fields (superclass fields are laid out first), as the Disruptor pads its sequences. */
    @SuppressWarnings("unused")
    private static class SlotLhsPadding
    {
        long p01;
        long p02;
        long p03;
        long p04;
        long p05;
        long p06;
        long p07;
        long p08;
    }

    /** A slot's fields: written by the submitting thread, then by the worker. */
    private static class SlotFields extends SlotLhsPadding
    {
        long version;
        long record = -1;
        long idHi;
        long idLo;
        String function;
        String jobId;
        int state;
        int attempt;
        long submitNs;
        long argsReadyNs;
        long startNs;
        long endNs;
        Thread worker;
        String error;
    }

    /**
     * One record's slot, padded on both sides so that neighbouring slots (allocated, and copied by the GC, next to each
     * other) never share a cache line: the worker finishing record n does not invalidate the line the submitter is
     * writing record n + 1 into.
     */
    @SuppressWarnings("unused")
    private static final class Slot extends SlotFields
    {
        long q01;
        long q02;
        long q03;
        long q04;
        long q05;
        long q06;
        long q07;
        long q08;
    }
}
