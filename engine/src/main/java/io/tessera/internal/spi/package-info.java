/**
 * What a node process starts beside the engine when it is on the class path (the dashboard, later
 * the metrics endpoint and the jobs API): {@link io.tessera.internal.spi.NodeExtension}s found with
 * {@link java.util.ServiceLoader}, so the engine never depends on them.
 */
package io.tessera.internal.spi;
