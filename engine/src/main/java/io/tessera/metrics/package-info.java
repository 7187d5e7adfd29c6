/**
 * User metrics, as Ray's {@code ray.util.metrics}: counters, gauges and histograms a task or actor
 * records, exported by the node it ran on in Prometheus format with {@code node} and {@code job}
 * labels. Start with {@link io.tessera.metrics.Metrics}.
 */
package io.tessera.metrics;
