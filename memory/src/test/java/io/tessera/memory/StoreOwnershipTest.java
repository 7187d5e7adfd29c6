package io.tessera.memory;

import io.tessera.memory.internal.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What another local user can do to this user's stores through shared directories ({@code /dev/shm},
 * {@code /tmp}): plant files or directories, read files. Run as root the tests act as {@code nobody}
 * for real (runuser) or give planted files to it (chown); the rest hold for any user.
 */
@Timeout(60)
class StoreOwnershipTest
{
    private static final long CAPACITY = 4L << 20;

    @Test
    void shouldNeverDeleteTheDirectoryAStoreFileNames() throws Exception
    {
        final Path shared = sharedDirectory();
        final Path spillRoot = Files.createTempDirectory("tessera-spill-root");
        final Path victim = Files.createTempDirectory("tessera-victim");
        Files.writeString(victim.resolve("precious.txt"), "keep me");
        try
        {
            // this user's own orphan whose header was rewritten to name another directory
            plantOrphan(shared.resolve("own.store"), victim);
            assertEquals(1, ObjectStore.deleteOrphans(shared, spillRoot), "the orphan itself is cleaned up");
            assertTrue(Files.exists(victim.resolve("precious.txt")), "a path read from a store file was deleted");
        }
        finally
        {
            deleteTree(shared);
            deleteTree(spillRoot);
            deleteTree(victim);
        }
    }

    @Test
    void shouldIgnoreStoreFilesOfAnotherUser() throws Exception
    {
        assumeTrue(OtherUser.canChown(), "needs root to act as another user");
        final Path shared = sharedDirectory();
        final Path spillRoot = Files.createTempDirectory("tessera-spill-root");
        final Path victim = Files.createTempDirectory("tessera-victim");
        Files.writeString(victim.resolve("precious.txt"), "keep me");
        try
        {
            final Path template = shared.resolve("template");
            plantOrphan(template, victim);
            Files.setPosixFilePermissions(template, PosixFilePermissions.fromString("rw-r--r--"));
            final Path planted = shared.resolve("tessera-1-planted.store");
            if (OtherUser.available())
            {
                assertEquals(0, OtherUser.run("cp", template.toString(), planted.toString()), "nobody plants a store");
            }
            else
            {
                Files.copy(template, planted);
                OtherUser.chown(planted);
            }
            Files.delete(template);
            // the spill directory a file of that name would own, planted by the other user as well
            final Path derived = Files.createDirectory(StoreContext.spillDirFor(spillRoot, planted));
            OtherUser.chown(derived);

            assertEquals(0, ObjectStore.deleteOrphans(shared, spillRoot));
            assertTrue(Files.exists(victim.resolve("precious.txt")), "the directory named by a planted store was deleted");
            assertTrue(Files.exists(planted), "another user's file is none of our business");
            assertTrue(Files.exists(derived), "another user's directory is none of our business");
        }
        finally
        {
            deleteTree(shared);
            deleteTree(spillRoot);
            deleteTree(victim);
        }
    }

    @Test
    void shouldCreateStoreFilesAndSpillOwnerOnly() throws Exception
    {
        final StoreContext ctx = new StoreContext().capacityBytes(CAPACITY);
        try (ObjectStore store = ObjectStore.create(ctx))
        {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.path())));
            assertEquals(StoreContext.defaultStoreDirectory(), store.path().getParent());
            assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(store.path().getParent())));
            assertEquals(StoreContext.defaultSpillRoot(), ctx.spillDir().getParent());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ctx.spillDir().getParent())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ctx.spillDir())));
            for (int i = 0; i < 8; i++)
            {
                store.put(ObjectId.of(9, i), MemorySegment.ofArray(new byte[1 << 20]), 0);
            }
            assertTrue(store.stats().spilled() > 0);
            try (Stream<Path> files = Files.list(ctx.spillDir()))
            {
                for (final Path f : files.toList())
                {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
                }
            }
            if (OtherUser.available())
            {
                assertNotEquals(0, OtherUser.run("cat", store.path().toString()), "another user read the store");
                assertNotEquals(0, OtherUser.run("ls", ctx.spillDir().toString()), "another user listed the spill");
            }
        }
        assertTrue(!Files.exists(ctx.spillDir()), "spill directory removed on close");
    }

    @Test
    void shouldRefuseASpillDirectoryThatExistsAlready() throws Exception
    {
        final Path parent = Files.createTempDirectory("tessera-spill-parent");
        sticky(parent);
        final Path spill = parent.resolve("spill");
        try
        {
            if (OtherUser.available())
            {
                assertEquals(0, OtherUser.run("mkdir", "-m", "777", spill.toString()), "nobody pre-creates it");
            }
            else
            {
                Files.createDirectory(spill);
            }
            final StoreContext ctx = new StoreContext().capacityBytes(CAPACITY).spillDir(spill);
            final IncompatibleStoreException ex = assertThrows(IncompatibleStoreException.class,
                () -> ObjectStore.create(ctx));
            assertTrue(ex.getMessage().contains(spill.toString()), ex.getMessage());
            assertTrue(!Files.exists(ctx.path()), "no store file left behind");
        }
        finally
        {
            deleteTree(parent);
        }
    }

    @Test
    void shouldRefuseAPerUserDirectoryAnotherUserPlanted() throws Exception
    {
        final Path shared = sharedDirectory();
        try
        {
            final Path target = Files.createTempDirectory("tessera-target");
            Files.createSymbolicLink(shared.resolve("tessera-" + OwnerOnly.uid()), target);
            final IOException link = assertThrows(IOException.class, () -> OwnerOnly.userDirectory(shared));
            assertTrue(link.getMessage().contains("symbolic link"), link.getMessage());
            Files.delete(shared.resolve("tessera-" + OwnerOnly.uid()));
            deleteTree(target);
            if (OtherUser.canChown())
            {
                final Path planted = Files.createDirectory(shared.resolve("tessera-" + OwnerOnly.uid()));
                OtherUser.chown(planted);
                final IOException foreign = assertThrows(IOException.class, () -> OwnerOnly.userDirectory(shared));
                assertTrue(foreign.getMessage().contains("uid " + OtherUser.UID), foreign.getMessage());
            }
        }
        finally
        {
            deleteTree(shared);
        }
    }

    /** A world-writable sticky directory, as {@code /dev/shm} is. */
    private static Path sharedDirectory() throws IOException, InterruptedException
    {
        return sticky(Files.createTempDirectory("tessera-shared"));
    }

    /** chmod 1777 (java.nio has no sticky bit). */
    private static Path sticky(final Path dir) throws IOException, InterruptedException
    {
        assertEquals(0, new ProcessBuilder("chmod", "1777", dir.toString()).start().waitFor());
        return dir;
    }

    /** Writes a valid store header whose owner is dead and whose spill directory field names {@code named}. */
    private static void plantOrphan(final Path file, final Path named) throws Exception
    {
        final Path scratch = Files.createTempDirectory("tessera-scratch");
        try (ObjectStore real = ObjectStore.create(new StoreContext().capacityBytes(CAPACITY)
            .path(scratch.resolve("real.store")).spillDir(scratch.resolve("real.spill"))))
        {
            Files.copy(real.path(), file);
        }
        finally
        {
            deleteTree(scratch);
        }
        final Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        final byte[] path = named.toString().getBytes(StandardCharsets.UTF_8);
        final ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(header.putLong(0, dead.pid()), StoreLayout.OWNER_PID_OFFSET);
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, path.length),
                StoreLayout.SPILL_DIR_LENGTH_OFFSET);
            channel.write(ByteBuffer.wrap(path), StoreLayout.SPILL_DIR_BYTES_OFFSET);
        }
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
