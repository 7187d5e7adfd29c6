package io.tessera.transport;

import io.tessera.memory.ObjectId;

/**
 * The outcome of a successful pull: the object is sealed in the receiving store.
 *
 * @param id        object id.
 * @param sizeBytes object size.
 * @param kind      the caller's type tag the holder stored it with.
 * @param holders   how many holders served byte ranges of it (1 for a single-holder pull).
 */
public record PulledObject(ObjectId id, long sizeBytes, int kind, int holders)
{
}
