/**
 * The state API: what a cluster is doing now — its nodes, jobs, actors, tasks and objects — as
 * immutable records. Start with {@link io.tessera.Tessera#state()}.
 */
package io.tessera.state;
