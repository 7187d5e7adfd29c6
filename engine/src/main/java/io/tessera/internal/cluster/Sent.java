package io.tessera.internal.cluster;

import io.tessera.TaskCancelledException;
import io.tessera.transport.Connection;

import java.util.concurrent.CompletableFuture;

/** Where a task or actor call of ours was sent, while its result is pending; guarded by itself. */
final class Sent
{
    /** "task NAME" or "call of actor …", for messages. */
    final String what;
    /** The node it was last sent to; null while it still waits here (for its arguments, its turn). */
    String at;
    volatile boolean cancelled;

    Sent(String what)
    {
        this.what = what;
    }

    /**
     * Sends a task or actor call unless it was cancelled meanwhile. The check and the send happen
     * under the same lock as {@link Owner#cancel}'s, so a CANCEL always follows the work on the connection.
     */
    static CompletableFuture<byte[]> sendUnlessCancelled(Sent s, Connection c, String at, int type, byte[] body)
    {
        synchronized (s)
        {
            if (s.cancelled)
            {
                return CompletableFuture.failedFuture(new TaskCancelledException(s.what + " was cancelled"));
            }
            s.at = at;
            return c.requestUntilClosed(type, body);
        }
    }
}
