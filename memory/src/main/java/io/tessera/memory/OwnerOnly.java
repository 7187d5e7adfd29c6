package io.tessera.memory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories that only their owner may use. World-writable places ({@code /dev/shm},
 * {@code /tmp}) hold one directory per user, {@code tessera-<uid>}, mode 0700, and Tessera's files
 * live inside it: another user can neither read them nor plant files or links there. A directory of
 * that name that is not a plain directory owned by this user is refused, never used.
 */
public final class OwnerOnly
{
    /** rwx------ */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** rw------- */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final int UID = currentUid();

    private OwnerOnly()
    {
    }

    /**
     * Returns the {@code 0700} attribute for creating directories.
     *
     * @return the {@code 0700} attribute for creating directories.
     */
    public static FileAttribute<Set<PosixFilePermission>> directoryAttribute()
    {
        return PosixFilePermissions.asFileAttribute(DIRECTORY);
    }

    /**
     * Returns the {@code 0600} attribute for creating files.
     *
     * @return the {@code 0600} attribute for creating files.
     */
    public static FileAttribute<Set<PosixFilePermission>> fileAttribute()
    {
        return PosixFilePermissions.asFileAttribute(FILE);
    }

    /**
     * Returns the real user id of this process.
     *
     * @return the real user id of this process.
     */
    public static int uid()
    {
        return UID;
    }

    /**
     * Returns {@code shared/tessera-<uid>}, created 0700 or checked (see {@link #directory(Path)}).
     *
     * @param shared a directory other users may write to, e.g. {@code /dev/shm}.
     * @return {@code shared/tessera-<uid>}, created 0700 or checked (see {@link #directory(Path)}).
     * @throws IOException when it cannot be created or is not this user's own directory.
     */
    public static Path userDirectory(final Path shared) throws IOException
    {
        return directory(shared.resolve("tessera-" + UID));
    }

    /**
     * Creates {@code dir} with mode 0700 (its parents as {@link Files#createDirectories} does), or,
     * when it exists, checks that it is a directory (not a link) owned by this user and sets its
     * mode to 0700.
     *
     * @param dir the directory.
     * @return {@code dir}.
     * @throws IOException when it cannot be created, or exists as something else than this user's directory.
     */
    public static Path directory(final Path dir) throws IOException
    {
        final Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent))
        {
            Files.createDirectories(parent);
        }
        try
        {
            Files.createDirectory(dir, directoryAttribute());
            return dir;
        }
        catch (final FileAlreadyExistsException ex)
        {
            requireOwnDirectory(dir);
            final PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
            if (!attrs.permissions().equals(DIRECTORY))
            {
                Files.setPosixFilePermissions(dir, DIRECTORY);
            }
            return dir;
        }
    }

    /**
     * Creates {@code dir}, mode 0700, failing when anything exists at that path already.
     *
     * @param dir the new directory; its parent must exist.
     * @return {@code dir}.
     * @throws IOException when it exists or cannot be created.
     */
    public static Path freshDirectory(final Path dir) throws IOException
    {
        try
        {
            return Files.createDirectory(dir, directoryAttribute());
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new FileAlreadyExistsException(dir.toString(), null, "exists already; a fresh directory " +
                "only this user can use was expected (remove it if it is a leftover of yours)");
        }
    }

    /**
     * Returns true when {@code path} itself (not a link's target) exists and belongs to this user.
     *
     * @param path a path.
     * @return true when {@code path} itself (not a link's target) exists and belongs to this user.
     */
    public static boolean isOwn(final Path path)
    {
        try
        {
            return ownerUid(path) == UID;
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }

    /**
     * Checks that {@code dir} is a real directory (not a link to one) that this user owns, as a store or
     * spill directory must be before files are made in it.
     *
     * @param dir the directory to check.
     * @throws IOException when {@code dir} is not a directory (links are not followed) owned by this user.
     */
    public static void requireOwnDirectory(final Path dir) throws IOException
    {
        final PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isDirectory())
        {
            throw new IOException(dir + " is " + (attrs.isSymbolicLink() ? "a symbolic link" : "not a directory") +
                "; refusing to use it (another user may have planted it: remove it)");
        }
        final int owner = ownerUid(dir);
        if (owner != UID)
        {
            throw new IOException(dir + " belongs to uid " + owner + ", not to this user (uid " + UID +
                "); refusing to use it (another user may have planted it: remove it)");
        }
    }

    private static int ownerUid(final Path path) throws IOException
    {
        return (Integer)Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static int currentUid()
    {
        try
        {
            return (int)new com.sun.security.auth.module.UnixSystem().getUid();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            try
            {
                return (Integer)Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            }
            catch (final IOException | RuntimeException ex2)
            {
                throw new IllegalStateException("cannot tell this process's user id: " + ex2, ex2);
            }
        }
    }
}
