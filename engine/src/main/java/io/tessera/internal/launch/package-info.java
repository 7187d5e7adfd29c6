/**
 * Wires a node: the local runtime, and the cluster member when there is a cluster to join or serve.
 * The only package besides the CLI that names both {@code io.tessera.internal} and its {@code cluster}.
 */
package io.tessera.internal.launch;
