package io.tessera.internal.spi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The {@link NodeExtension}s on the class path, started together and closed in reverse order. */
public final class NodeExtensions implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(NodeExtensions.class);

    private final List<NodeExtension> started = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    private NodeExtensions()
    {
    }

    /**
     * Starts every extension on the class path of this class's loader.
     *
     * @param node the node they run in
     * @return the started extensions
     * @throws IllegalStateException naming the extension that could not start (the others are closed)
     */
    public static NodeExtensions start(NodeHandle node)
    {
        final NodeExtensions all = new NodeExtensions();
        for (NodeExtension e : ServiceLoader.load(NodeExtension.class, NodeExtension.class.getClassLoader()))
        {
            try
            {
                all.lines.addAll(e.start(node));
                all.started.add(e);
            }
            catch (Exception ex)
            {
                e.close();
                all.close();
                throw new IllegalStateException(ex.getMessage() != null ? ex.getMessage()
                    : e.getClass().getName() + " failed to start: " + ex, ex);
            }
        }
        return all;
    }

    /**
     * What the extensions said when they started.
     *
     * @return lines for the launcher to print
     */
    public List<String> lines()
    {
        return List.copyOf(lines);
    }

    @Override
    public void close()
    {
        for (NodeExtension e : started.reversed())
        {
            try
            {
                e.close();
            }
            catch (RuntimeException ex)
            {
                LOG.warn("closing {} failed: {}", e.getClass().getName(), ex.toString());
            }
        }
        started.clear();
    }
}
