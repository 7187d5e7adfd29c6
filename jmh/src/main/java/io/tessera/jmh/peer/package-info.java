/**
 * The peer a Java user would pick instead of Tessera: Hazelcast embedded ({@code IExecutorService} for
 * tasks, {@code IMap} for objects), one member and two members on loopback, beside Tessera on the same workload.
 */
package io.tessera.jmh.peer;
