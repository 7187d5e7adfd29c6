package io.tessera.dashboard;

import io.tessera.dashboard.http.Access;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessTest
{
    private final Access access = new Access("s3cret", "127.0.0.1");
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 50000);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.77", 50000);

    @Test
    void shouldLetLoopbackInWithoutTheToken()
    {
        assertTrue(access.allows(LOOPBACK, "127.0.0.1:8265", null));
        assertTrue(access.allows(LOOPBACK, "localhost:8265", null));
        assertTrue(access.allows(new InetSocketAddress("::1", 50000), "[::1]:8265", null));
        assertTrue(access.allows(LOOPBACK, null, null));
    }

    @Test
    void shouldRefuseAnotherAddressWithoutTheRightToken()
    {
        assertFalse(access.allows(REMOTE, "10.0.0.1:8265", null));
        assertFalse(access.allows(REMOTE, "10.0.0.1:8265", "Bearer wrong"));
        assertFalse(access.allows(REMOTE, "10.0.0.1:8265", "Basic czNjcmV0"));
        assertFalse(access.allows(REMOTE, "10.0.0.1:8265", "Bearer s3cret-and-more"));
        assertTrue(access.allows(REMOTE, "10.0.0.1:8265", "Bearer s3cret"));
        assertTrue(access.allows(REMOTE, "10.0.0.1:8265", "bearer s3cret"));
    }

    @Test
    void shouldRefuseALoopbackRequestNamingAnotherHost()
    {
        // a web page whose name was rebound to 127.0.0.1 still sends its own name as Host
        assertFalse(access.allows(LOOPBACK, "evil.example:8265", null));
        assertTrue(access.allows(LOOPBACK, "evil.example:8265", "Bearer s3cret"));
    }

    @Test
    void shouldNeedAToken()
    {
        assertThrows(IllegalArgumentException.class, () -> new Access("", "127.0.0.1"));
    }
}
