package io.tessera.internal.cluster;

import java.util.Map;

/** One node as the head last reported it. */
record NodeView(String nodeId, String address, String host, String storePath, boolean alive,
                Map<String, Double> total, Map<String, Double> free)
{
}
