package io.tessera.internal.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The address a node announces: never a wildcard. */
class AdvertiseTest
{
    @Test
    void shouldAnnounceTheGivenAddressOrAReachableOneForAWildcardBind()
    {
        assertEquals("10.1.2.3", Advertise.host("0.0.0.0", "10.1.2.3"));
        assertEquals("node7.example", Advertise.host("0.0.0.0", "node7.example:6380"), "HOST:PORT: the host");
        assertEquals("127.0.0.1", Advertise.host("127.0.0.1", null));
        assertFalse(Advertise.host("0.0.0.0", null).equals("0.0.0.0"), "a wildcard is not announced");
        assertFalse(Advertise.host("::", "").equals("::"));
    }
}
