/**
 * Wire layouts of the transport (frame header, handshake and object transfer bodies) and the
 * handshake's HMAC helper. Not API: offsets and message types may change with the protocol version.
 */
package io.tessera.transport.internal;
