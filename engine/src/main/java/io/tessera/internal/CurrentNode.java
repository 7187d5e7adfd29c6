package io.tessera.internal;

import java.util.function.Supplier;

/**
 * The one holder of the process's running node ({@code Tessera.init()} .. {@code shutdown()}). The
 * public API reads it; {@code NodeLauncher} fills it. Nothing else keeps a static node.
 */
public final class CurrentNode
{
    private static volatile Node current;

    private CurrentNode()
    {
    }

    /**
     * Starts the process's node with {@code factory}, under the holder's lock.
     *
     * @throws IllegalStateException when one is running
     */
    public static synchronized Node start(Supplier<? extends Node> factory)
    {
        final Node running = current;
        if (running != null)
        {
            throw new IllegalStateException("Tessera is already initialized (node " + running.nodeId()
                + "); call Tessera.shutdown() before init() again");
        }
        final Node started = factory.get();
        current = started;
        return started;
    }

    /** The running node; {@link IllegalStateException} when there is none. */
    public static Node require()
    {
        final Node node = current;
        if (node == null)
        {
            throw new IllegalStateException("Tessera is not initialized: call Tessera.init() first (or again after shutdown())");
        }
        return node;
    }

    /** The running node, or null. */
    public static Node orNull()
    {
        return current;
    }

    /** Stops the running node, if any; idempotent. */
    public static synchronized void stop()
    {
        final Node node = current;
        current = null;
        if (node != null)
        {
            node.close();
        }
    }
}
