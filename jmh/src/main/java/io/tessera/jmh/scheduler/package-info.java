/**
 * JMH suites for the local scheduler alone (no engine on top): task round trip, task throughput and
 * actor mailbox throughput, each beside its JDK baseline in the same class.
 */
package io.tessera.jmh.scheduler;
