package io.tessera.internal.cluster;

import io.tessera.TaskException;

import java.util.concurrent.CompletionException;

/** How a failure that came back from a peer reads here. */
final class RemoteErrors
{
    private RemoteErrors()
    {
    }

    static RuntimeException remoteFailure(byte[] serialized, String name)
    {
        try
        {
            final Object e = Wire.deserialize(serialized, Thread.currentThread().getContextClassLoader());
            if (e instanceof RuntimeException re)
            {
                return re;
            }
            return new TaskException(name + " failed: " + e, (Throwable) e);
        }
        catch (RuntimeException undecodable)
        {
            return new TaskException(name + " failed on another node and its exception could not be read here: "
                + undecodable.getMessage(), undecodable);
        }
    }

    /**
     * Whether a request failed because its peer went away (so the work may be retried elsewhere), as
     * opposed to an error the peer reported or a failed object transfer inside the work itself.
     */
    static boolean isConnectionLoss(Throwable error)
    {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null)
        {
            t = t.getCause();
        }
        return t instanceof io.tessera.transport.ConnectionClosedException
            || t instanceof java.io.IOException
            || t instanceof io.tessera.transport.TransportException && !(t instanceof io.tessera.transport.RemoteException)
                && !(t instanceof io.tessera.transport.ObjectTransferException);
    }
}
