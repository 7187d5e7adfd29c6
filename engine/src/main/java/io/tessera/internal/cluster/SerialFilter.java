package io.tessera.internal.cluster;

import io.tessera.memory.serial.DeniedClasses;

import java.io.ObjectInputFilter;

/**
 * The filter on every Java-serialization stream a node reads from another process (functions,
 * arguments, values, exceptions): refuses the known gadget classes of {@link DeniedClasses}, graphs
 * nested deeper than {@code tessera.serial.maxDepth} (default 1000: a stack-overflow guard), and
 * arrays or reference counts larger than the stream itself could hold (an announced length the bytes
 * cannot back is an allocation attack, not data). A JVM-wide filter ({@code jdk.serialFilter}) still
 * applies on top. Anyone with the cluster token can still run code on the nodes by design: this
 * keeps a stream from running code on its own, it is no sandbox.
 */
final class SerialFilter implements ObjectInputFilter
{
    static final long MAX_DEPTH = Long.getLong("tessera.serial.maxDepth", 1000);

    private final long streamBytes;

    private SerialFilter(long streamBytes)
    {
        this.streamBytes = streamBytes;
    }

    /** The filter for a stream of {@code streamBytes} bytes, merged with the JVM-wide one when there is one. */
    static ObjectInputFilter forStream(long streamBytes)
    {
        final ObjectInputFilter own = new SerialFilter(streamBytes);
        final ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
        return global == null ? own : ObjectInputFilter.merge(own, global);
    }

    @Override
    public Status checkInput(FilterInfo info)
    {
        final Class<?> type = info.serialClass();
        if (type != null)
        {
            Class<?> c = type;
            while (c.isArray())
            {
                c = c.getComponentType();
            }
            if (DeniedClasses.isDenied(c.getName()))
            {
                return Status.REJECTED;
            }
        }
        if (info.depth() > MAX_DEPTH || info.arrayLength() > streamBytes || info.references() > streamBytes)
        {
            return Status.REJECTED;
        }
        return Status.UNDECIDED;
    }
}
