package io.tessera.internal.spi;

import java.util.List;

/**
 * Something a node process runs beside the engine while it serves, found with
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/io.tessera.internal.spi.NodeExtension}
 * of its jar). The launcher starts each once the node serves and closes them, in reverse order,
 * when it stops.
 */
public interface NodeExtension extends AutoCloseable
{
    /**
     * Starts serving.
     *
     * @param node the node it runs in
     * @return lines for the launcher to print (such as where it listens); empty when it does nothing on this node
     * @throws Exception when it cannot start: the node does not start either
     */
    List<String> start(NodeHandle node) throws Exception;

    /** Stops serving; idempotent. */
    @Override
    void close();
}
