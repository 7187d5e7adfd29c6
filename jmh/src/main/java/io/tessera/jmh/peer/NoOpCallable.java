package io.tessera.jmh.peer;

import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.Callable;

/** The no-op task Hazelcast ships to a member: returns its argument. */
public final class NoOpCallable implements Callable<Integer>, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final int x;

    public NoOpCallable(int x)
    {
        this.x = x;
    }

    @Override
    public Integer call()
    {
        return x;
    }
}
