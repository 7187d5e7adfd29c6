/**
 * The {@code tessera} command line ({@code bin/tessera}) and its demo.
 */
package io.tessera.cli;
