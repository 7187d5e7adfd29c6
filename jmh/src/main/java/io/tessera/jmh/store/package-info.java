/**
 * JMH suites of the shared-memory object store, each beside its baseline in the same run: memcpy
 * bandwidth, a {@code ConcurrentHashMap} of heap arrays, and the same get at other sizes/populations.
 */
package io.tessera.jmh.store;
