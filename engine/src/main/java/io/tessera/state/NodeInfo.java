package io.tessera.state;

import java.util.Map;

/**
 * One node of the cluster.
 *
 * @param id                 the node's id
 * @param address            its transport address, {@code HOST:PORT}
 * @param alive              false once the head declared it dead
 * @param head               true for the head's own node
 * @param resourcesTotal     what it offers, by resource name ({@code CPU}, {@code GPU}, {@code memory}, custom)
 * @param resourcesAvailable what is not granted to tasks and actors now, by resource name
 * @param storeBytesUsed     bytes its object store holds ({@code -1} when it could not be asked)
 * @param storeBytesTotal    its object store's capacity ({@code -1} when unknown)
 * @param metricsAddress     where it serves Prometheus metrics, {@code HOST:PORT}; null when it serves none
 */
public record NodeInfo(String id, String address, boolean alive, boolean head, Map<String, Double> resourcesTotal,
                       Map<String, Double> resourcesAvailable, long storeBytesUsed, long storeBytesTotal,
                       String metricsAddress)
{
    /** Copies the maps. */
    public NodeInfo
    {
        resourcesTotal = Map.copyOf(resourcesTotal);
        resourcesAvailable = Map.copyOf(resourcesAvailable);
    }

    /**
     * The share of {@code resource} in use, 0 to 1; 0 when the node offers none of it.
     *
     * @param resource a resource name such as {@code CPU}
     * @return used / total
     */
    public double used(String resource)
    {
        final double total = resourcesTotal.getOrDefault(resource, 0.0);
        return total <= 0 ? 0 : Math.max(0, total - resourcesAvailable.getOrDefault(resource, total)) / total;
    }
}
