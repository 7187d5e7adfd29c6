package io.tessera.scheduler;

/**
 * The dispatcher's growable FIFO of ready tasks: a power-of-two circular array with indexed access
 * near the head, so the dispatcher can start a fitting task a few places behind a head that does
 * not fit yet. Single-threaded; grows by doubling and never allocates otherwise.
 */
final class TaskQueue
{
    private Task[] items;
    private int mask;
    private int head;
    private int size;

    TaskQueue(final int initialCapacity)
    {
        final int cap = Integer.highestOneBit(Math.max(16, initialCapacity - 1) << 1);
        items = new Task[cap];
        mask = cap - 1;
    }

    int size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    void add(final Task t)
    {
        if (size == items.length)
        {
            grow();
        }
        items[(head + size) & mask] = t;
        size++;
    }

    void addFirst(final Task t)
    {
        if (size == items.length)
        {
            grow();
        }
        head = (head - 1) & mask;
        items[head] = t;
        size++;
    }

    Task get(final int i)
    {
        return items[(head + i) & mask];
    }

    Task poll()
    {
        if (size == 0)
        {
            return null;
        }
        final Task t = items[head];
        items[head] = null;
        head = (head + 1) & mask;
        size--;
        return t;
    }

    /** Removes the i-th task by shifting the ones before it one place towards the tail. */
    Task removeAt(final int i)
    {
        final Task t = items[(head + i) & mask];
        for (int k = i; k > 0; k--)
        {
            items[(head + k) & mask] = items[(head + k - 1) & mask];
        }
        items[head] = null;
        head = (head + 1) & mask;
        size--;
        return t;
    }

    private void grow()
    {
        final Task[] bigger = new Task[items.length << 1];
        for (int i = 0; i < size; i++)
        {
            bigger[i] = items[(head + i) & mask];
        }
        items = bigger;
        mask = bigger.length - 1;
        head = 0;
    }
}
