package io.tessera.internal;

import io.tessera.ObjectLostException;
import io.tessera.ObjectStoreException;
import io.tessera.ObjectStoreFullException;
import io.tessera.ObjectTooLargeForStoreException;
import io.tessera.TesseraException;
import io.tessera.gpu.GpuException;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectTooLargeException;
import io.tessera.memory.StoreFullException;
import io.tessera.memory.UnknownObjectException;
import io.tessera.scheduler.SchedulerException;
import io.tessera.transport.ConnectionClosedException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Each lower module's root exception becomes, at the API boundary, a {@link TesseraException} of the same message
 * with the original as its cause; Tessera's own and the JDK's exceptions pass as they are.
 */
class ApiErrorsTest
{
    @Test
    void shouldKeepTheStoresFailuresMeaningfulTypesWithTheirMessageAndCause()
    {
        assertTranslated(ObjectStoreFullException.class, new StoreFullException("no space for 64 bytes: all pinned"));
        assertTranslated(ObjectTooLargeForStoreException.class, new ObjectTooLargeException("16777216 bytes exceed 8388608"));
        assertTranslated(ObjectStoreException.class, new UnknownObjectException("unknown object 00ff"));
    }

    @Test
    void shouldTranslateTheSchedulersTheTransportsAndTheGpuModulesRoots() throws ReflectiveOperationException
    {
        assertTranslated(TesseraException.class, new SchedulerException("cpus must be a finite amount >= 0, got -1.0"));
        assertTranslated(TesseraException.class, new ConnectionClosedException("connection to 10.0.0.2:7001 closed"));
        final Constructor<GpuException> gpu = GpuException.class.getDeclaredConstructor(String.class, String.class);
        gpu.setAccessible(true);
        final TesseraException t = assertTranslated(TesseraException.class,
            gpu.newInstance("cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY", "CUDA_ERROR_OUT_OF_MEMORY"));
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", ((GpuException) t.getCause()).cudaError());
    }

    @Test
    void shouldTranslateWhatACompletionExceptionOfAClusterCallCarries()
    {
        final ConnectionClosedException closed = new ConnectionClosedException("connection to the head 10.0.0.1:7000 closed");
        final TesseraException t = assertInstanceOf(TesseraException.class, ApiErrors.toApi(new CompletionException(closed)));
        assertSame(closed, t.getCause());
        assertEquals(closed.getMessage(), t.getMessage());
        final ObjectLostException lost = new ObjectLostException("object 00ff was freed");
        assertSame(lost, ApiErrors.toApi(new CompletionException(lost)));
        final CompletionException timeout = new CompletionException(new java.util.concurrent.TimeoutException());
        assertSame(timeout, ApiErrors.toApi(timeout), "what is neither Tessera's nor a lower module's stays as it is");
    }

    @Test
    void shouldPassTesseraAndJdkExceptionsThroughAsThemselves()
    {
        final ObjectLostException lost = new ObjectLostException("object 00ff was freed");
        assertSame(lost, ApiErrors.toApi(lost));
        final IllegalArgumentException bad = new IllegalArgumentException("n must be between 0 and 3, got 4");
        assertSame(bad, ApiErrors.toApi(bad));
        assertNull(ApiErrors.tesseraOrNull(bad));
        assertNull(ApiErrors.tesseraOrNull(new OutOfMemoryError("boom")));
        assertNull(ApiErrors.tesseraOrNull(null));
    }

    @Test
    void shouldFailACellWithTheTranslatedException()
    {
        final ObjectCell cell = new ObjectCell(ObjectId.random());
        final StoreFullException full = new StoreFullException("no space for 1048576 bytes: every candidate is pinned");
        cell.failWith(full);
        final ObjectStoreFullException thrown = assertThrows(ObjectStoreFullException.class, cell::valueOrFailure);
        assertSame(full, thrown.getCause());
        assertEquals(full.getMessage(), thrown.getMessage());
    }

    private static TesseraException assertTranslated(Class<? extends TesseraException> expected, RuntimeException lower)
    {
        final TesseraException t = assertInstanceOf(expected, ApiErrors.toApi(lower));
        assertEquals(expected, t.getClass(), "the most specific type");
        assertSame(lower, t.getCause());
        assertEquals(lower.getMessage(), t.getMessage());
        return t;
    }
}
