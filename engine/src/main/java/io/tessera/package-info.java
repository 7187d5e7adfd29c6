/**
 * Tessera's public API: tasks, actors and immutable objects in the spirit of Ray Core.
 * Start with {@link io.tessera.Tessera}; everything outside this package may change.
 */
package io.tessera;
