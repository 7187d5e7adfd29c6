/**
 * Tessera's object store: the shared-memory store, its exceptions ({@code StoreException} and subtypes) and the
 * serializer. Agrona and Fory are automatic modules (named by their {@code Automatic-Module-Name}); they use
 * {@code sun.misc.Unsafe}, so this module requires {@code jdk.unsupported} for them (an automatic module declares
 * nothing, and a module-path application resolves only what some module requires).
 */
module io.tessera.memory
{
    requires org.agrona;
    requires org.apache.fory.core;
    requires jdk.unsupported;
    // Fory's type resolver loads java.sql's date types
    requires java.sql;
    // the store file's owner check reads the process's uid (com.sun.security.auth.module.UnixSystem)
    requires jdk.security.auth;

    exports io.tessera.memory;
    exports io.tessera.memory.serial;
}
