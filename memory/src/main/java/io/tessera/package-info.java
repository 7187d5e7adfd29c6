/**
 * Tessera's root package: the user API lives here (module {@code engine}); module {@code memory}
 * contributes only the root exception {@link io.tessera.TesseraException}.
 */
package io.tessera;
