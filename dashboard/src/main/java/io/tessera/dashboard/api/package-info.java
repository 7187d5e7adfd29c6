/** The state API as REST over {@link io.tessera.state.ClusterState}, Prometheus service discovery and the Chrome trace. */
package io.tessera.dashboard.api;
