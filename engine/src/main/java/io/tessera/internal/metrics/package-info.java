/**
 * The process's Prometheus registry, which user and system metrics register in and the node's
 * {@code /metrics} endpoint serves.
 */
package io.tessera.internal.metrics;
