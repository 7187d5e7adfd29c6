package io.tessera.transport;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;

import java.util.Locale;

/**
 * The Netty transport a node runs. {@link #AUTO} picks io_uring where the kernel allows it, epoll
 * next, NIO last. The native kinds are probed once per JVM; {@link #isAvailable()} and
 * {@link #unavailabilityCause()} report the outcome.
 */
public enum TransportKind
{
    /** The best available: io_uring, else epoll, else NIO. */
    AUTO,
    /** Linux io_uring (netty-transport-native-io_uring). */
    IO_URING,
    /** Linux epoll (netty-transport-native-epoll). */
    EPOLL,
    /** Java NIO selectors; always available. */
    NIO;

    /** System property that forces a kind when the context does not: {@code auto|io_uring|epoll|nio}. */
    public static final String PROPERTY = "tessera.transport";

    /**
     * Returns true when this kind can run here; {@link #AUTO} and {@link #NIO} always can.
     *
     * @return true when this kind can run here; {@link #AUTO} and {@link #NIO} always can.
     */
    public boolean isAvailable()
    {
        return unavailabilityCause() == null;
    }

    /**
     * Returns why this kind cannot run here, or null when it can.
     *
     * @return why this kind cannot run here, or null when it can.
     */
    public Throwable unavailabilityCause()
    {
        return switch (this)
        {
            case AUTO, NIO -> null;
            case IO_URING -> Probe.IO_URING_CAUSE;
            case EPOLL -> Probe.EPOLL_CAUSE;
        };
    }

    /**
     * Returns the concrete kind to run: this one, or the best available for {@link #AUTO}.
     *
     * @return the concrete kind to run: this one, or the best available for {@link #AUTO}.
     * @throws TransportException when a native kind was asked for but is unavailable.
     */
    public TransportKind resolve()
    {
        if (this == AUTO)
        {
            return IO_URING.isAvailable() ? IO_URING : EPOLL.isAvailable() ? EPOLL : NIO;
        }
        final Throwable cause = unavailabilityCause();
        if (cause != null)
        {
            throw new TransportException("transport " + this + " was requested but is unavailable here: " + cause +
                " (use " + PROPERTY + "=auto to fall back)", cause);
        }
        return this;
    }

    /**
     * Returns the kind.
     *
     * @param value {@code auto}, {@code io_uring} (or {@code iouring}, {@code io-uring}), {@code epoll}
     * or {@code nio}, any case.
     * @return the kind.
     * @throws TransportException for any other value.
     */
    public static TransportKind parse(final String value)
    {
        final String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v)
        {
            case "auto", "" -> AUTO;
            case "io_uring", "iouring", "io-uring", "uring" -> IO_URING;
            case "epoll" -> EPOLL;
            case "nio" -> NIO;
            default -> throw new TransportException("unknown transport kind '" + value +
                "'; valid: auto, io_uring, epoll, nio");
        };
    }

    private static final class Probe
    {
        static final Throwable IO_URING_CAUSE = probeIoUring();
        static final Throwable EPOLL_CAUSE = probeEpoll();

        private static Throwable probeIoUring()
        {
            try
            {
                return IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
            }
            catch (final Throwable t)
            {
                return t;
            }
        }

        private static Throwable probeEpoll()
        {
            try
            {
                return Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
            }
            catch (final Throwable t)
            {
                return t;
            }
        }
    }
}
