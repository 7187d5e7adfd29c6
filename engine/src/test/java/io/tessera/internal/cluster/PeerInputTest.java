package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a peer sends that a node must not trust: class names in streams, array lengths, cache names. */
@Timeout(60)
class PeerInputTest
{
    record Chain(Chain next) implements Serializable
    {
    }

    @Test
    void shouldRefuseKnownGadgetClassesInJavaSerialization() throws Exception
    {
        final byte[] gadget = Wire.serialize(new javax.management.ObjectName("tessera:type=Gadget"));
        final TesseraException ex = assertThrows(TesseraException.class,
            () -> Wire.deserialize(gadget, getClass().getClassLoader()));
        assertTrue(ex.getMessage().contains("REJECTED") || ex.getMessage().contains("filter"), ex.getMessage());
        assertEquals(List.of(1, 2), Wire.deserialize(Wire.serialize(new ArrayList<>(List.of(1, 2))), getClass().getClassLoader()),
            "ordinary values still read");
    }

    @Test
    void shouldRefuseArraysLongerThanTheStreamCanHold() throws Exception
    {
        // a serialized long[1] whose length field is rewritten to 2^28 - 1: ~2 GiB allocated up front
        final byte[] bytes = Wire.serialize(new long[] {42L});
        final int at = lengthOffset(bytes, 1);
        bytes[at] = 0x0f;
        bytes[at + 1] = (byte) 0xff;
        bytes[at + 2] = (byte) 0xff;
        bytes[at + 3] = (byte) 0xff;
        final TesseraException ex = assertThrows(TesseraException.class,
            () -> Wire.deserialize(bytes, getClass().getClassLoader()));
        assertTrue(ex.getMessage().contains("REJECTED"), ex.getMessage());
    }

    @Test
    void shouldRefuseGraphsDeeperThanTheLimit()
    {
        Chain c = null;
        for (int i = 0; i < SerialFilter.MAX_DEPTH + 10; i++)
        {
            c = new Chain(c);
        }
        final Chain deep = c;
        final byte[] bytes;
        try
        {
            bytes = Wire.serialize(deep);
        }
        catch (StackOverflowError tooDeepToWrite)
        {
            return;
        }
        assertThrows(TesseraException.class, () -> Wire.deserialize(bytes, getClass().getClassLoader()));
    }

    @Test
    void shouldNotServeFilesOutsideTheClasspathCache() throws Exception
    {
        final Path root = Files.createTempDirectory("tessera-cache-test");
        final Path cacheDir = Files.createDirectories(root.resolve("a").resolve("b").resolve("cache"));
        final Path secret = root.resolve("secret.jar");
        Files.writeString(secret, "outside the cache");
        final JobClasspath.Cache cache = new JobClasspath.Cache(cacheDir);
        final String traversal = "../../../secret";
        assertFalse(cache.has(traversal));
        assertNull(cache.read(traversal), "a fetch of ../ returned a file from outside the cache");
        assertThrows(TesseraException.class, () -> cache.put(traversal, new byte[0]));
        final byte[] jar = {1, 2, 3};
        final String hash = JobClasspath.sha256(jar);
        cache.put(hash, jar);
        assertArrayEquals(jar, cache.read(hash));
        assertFalse(cache.has(hash.toUpperCase()), "only the canonical lower-case form names an entry");
    }

    /** Offset of the int length of the only array in a stream holding an array of {@code length}. */
    private static int lengthOffset(byte[] stream, int length) throws Exception
    {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        new DataOutputStream(b).writeInt(length);
        final byte[] pattern = b.toByteArray();
        // TC_ARRAY ... class desc ... length, then the elements (8 bytes for one long): length sits 12 bytes from the end
        final int at = stream.length - 12;
        for (int i = 0; i < 4; i++)
        {
            if (stream[at + i] != pattern[i])
            {
                throw new IllegalStateException("unexpected stream layout");
            }
        }
        return at;
    }
}
