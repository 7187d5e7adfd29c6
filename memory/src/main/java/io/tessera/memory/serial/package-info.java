/**
 * Turns values into store objects and back: primitive arrays, byte buffers and segments raw (their
 * bytes, no header), everything else through Apache Fory.
 */
package io.tessera.memory.serial;
