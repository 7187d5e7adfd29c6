/**
 * The jobs API (issue #16): the head starts and supervises driver processes submitted over REST,
 * keeps their output, and journals their status in the head's journal.
 */
package io.tessera.dashboard.jobs;
