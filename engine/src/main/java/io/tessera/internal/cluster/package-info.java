/**
 * Cluster mode: the head's tables and journal, node registration and heartbeats, remote tasks
 * and actors, job classpath shipping, and the owner's view of objects held by other nodes.
 */
package io.tessera.internal.cluster;
