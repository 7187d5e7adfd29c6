/**
 * The head's HTTP server: the web dashboard, the state API as REST ({@code /api/...}), Prometheus
 * service discovery and live updates (SSE). Started by the node launcher through
 * {@link io.tessera.dashboard.DashboardExtension}; {@link io.tessera.dashboard.Dashboard} assembles it.
 */
package io.tessera.dashboard;
