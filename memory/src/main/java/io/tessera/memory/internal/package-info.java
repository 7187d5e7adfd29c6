/**
 * Binary layouts of the store file (header, object table, client table, allocator blocks) and the
 * in-segment TLSF allocator. Not API: may change with the layout version.
 */
package io.tessera.memory.internal;
