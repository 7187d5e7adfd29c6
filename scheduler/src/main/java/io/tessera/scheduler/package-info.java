/**
 * The node's local scheduler: a Disruptor submission ring drained by one dispatcher that owns all
 * resource accounting, a growable worker pool, dependency waiting and ordered actor mailboxes.
 */
package io.tessera.scheduler;
