package io.tessera.internal;

import io.tessera.ObjectStoreException;
import io.tessera.ObjectStoreFullException;
import io.tessera.ObjectTooLargeForStoreException;
import io.tessera.TesseraException;
import io.tessera.gpu.GpuException;
import io.tessera.memory.ObjectTooLargeException;
import io.tessera.memory.StoreException;
import io.tessera.memory.StoreFullException;
import io.tessera.scheduler.SchedulerException;
import io.tessera.transport.TransportException;

import java.util.concurrent.CompletionException;

/**
 * The API boundary's translation of the lower modules' exceptions: each of {@code memory}, {@code scheduler},
 * {@code transport} and {@code gpu} has its own root exception in its own package, and where one reaches the user
 * (a put, a get, a submit, an actor call, a cluster call, a failed result) it becomes a {@link TesseraException} of
 * the same message with the original as its cause, so that {@code catch (TesseraException e)} holds for everything
 * the API throws. A store failure keeps a meaningful type ({@link ObjectStoreFullException},
 * {@link ObjectTooLargeForStoreException}, else {@link ObjectStoreException}).
 */
public final class ApiErrors
{
    private ApiErrors()
    {
    }

    /**
     * What the API throws for {@code error}: a lower module's exception translated, anything else (a
     * {@code TesseraException}, an {@code IllegalArgumentException}...) as it is.
     *
     * @param error what was thrown below the API.
     * @return the exception to throw to the user.
     */
    public static RuntimeException toApi(RuntimeException error)
    {
        final TesseraException translated = tesseraOrNull(error);
        return translated != null ? translated : error;
    }

    /**
     * {@code error} as a {@code TesseraException}: itself when it is one, translated when it is a lower module's
     * exception (also as the cause of a {@code CompletionException}), else null (a JDK exception, an {@code Error}).
     *
     * @param error what failed.
     * @return the Tessera form, or null when {@code error} is neither Tessera's nor a lower module's.
     */
    public static TesseraException tesseraOrNull(Throwable error)
    {
        return switch (error)
        {
            case TesseraException t -> t;
            case StoreFullException s -> new ObjectStoreFullException(s.getMessage(), s);
            case ObjectTooLargeException s -> new ObjectTooLargeForStoreException(s.getMessage(), s);
            case StoreException s -> new ObjectStoreException(s.getMessage(), s);
            case SchedulerException s -> new TesseraException(s.getMessage(), s);
            case TransportException s -> new TesseraException(s.getMessage(), s);
            case GpuException s -> new TesseraException(s.getMessage(), s);
            // a cluster call waited on a reply (join): what failed is the cause
            case CompletionException c when c.getCause() != null -> tesseraOrNull(c.getCause());
            case null, default -> null;
        };
    }
}
