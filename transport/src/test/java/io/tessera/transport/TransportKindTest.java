package io.tessera.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transport selection: probing, AUTO's order, the system property and forced kinds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransportKindTest
{
    @AfterEach
    void tearDown()
    {
        System.clearProperty(TransportKind.PROPERTY);
        TransportTestSupport.assertNoTransportThreads();
    }

    @Test
    void shouldPreferIoUringThenEpollThenNio()
    {
        final TransportKind best = TransportKind.AUTO.resolve();
        if (TransportKind.IO_URING.isAvailable())
        {
            assertEquals(TransportKind.IO_URING, best);
        }
        else if (TransportKind.EPOLL.isAvailable())
        {
            assertEquals(TransportKind.EPOLL, best);
            assertNotNull(TransportKind.IO_URING.unavailabilityCause());
        }
        else
        {
            assertEquals(TransportKind.NIO, best);
        }
        assertTrue(TransportKind.NIO.isAvailable());
        assertNull(TransportKind.NIO.unavailabilityCause());
    }

    @Test
    void shouldParseTheSystemPropertyValues()
    {
        assertEquals(TransportKind.IO_URING, TransportKind.parse("io_uring"));
        assertEquals(TransportKind.IO_URING, TransportKind.parse("IO-URING"));
        assertEquals(TransportKind.EPOLL, TransportKind.parse("epoll"));
        assertEquals(TransportKind.NIO, TransportKind.parse(" nio "));
        assertEquals(TransportKind.AUTO, TransportKind.parse("auto"));
        final TransportException e = assertThrows(TransportException.class, () -> TransportKind.parse("kqueue"));
        assertTrue(e.getMessage().contains("'kqueue'"), e.getMessage());
    }

    @Test
    void shouldHonourTheSystemPropertyWhenTheContextSetsNoKind()
    {
        System.setProperty(TransportKind.PROPERTY, "nio");
        final TransportContext ctx = new TransportContext().token(TransportContext.randomToken());
        assertEquals(TransportKind.NIO, ctx.kind());
        try (TransportServer server = TransportServer.bind(ctx, null))
        {
            assertEquals(TransportKind.NIO, server.kind());
        }
        assertEquals(TransportKind.EPOLL, ctx.copy().kind(TransportKind.EPOLL).kind(), "the context wins over the property");
    }

    @Test
    void shouldRefuseToStartWithoutAToken()
    {
        final TransportException e = assertThrows(TransportException.class,
            () -> TransportServer.bind(new TransportContext().kind(TransportKind.NIO), null));
        assertTrue(e.getMessage().contains("token"), e.getMessage());
        assertThrows(TransportException.class, () -> new TransportContext().token("short"));
    }
}
