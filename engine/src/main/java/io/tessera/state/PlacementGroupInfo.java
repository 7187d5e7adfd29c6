package io.tessera.state;

import java.util.List;
import java.util.Map;

/**
 * One placement group (issue #16; none exist before).
 *
 * @param id       the group's id
 * @param name     its name; null when it has none
 * @param state    {@code PENDING}, {@code CREATED} or {@code REMOVED}
 * @param strategy how its bundles are spread, e.g. {@code PACK}
 * @param bundles  the resources of each bundle
 */
public record PlacementGroupInfo(String id, String name, String state, String strategy,
                                 List<Map<String, Double>> bundles)
{
    /** Copies the list. */
    public PlacementGroupInfo
    {
        bundles = List.copyOf(bundles);
    }
}
