package io.tessera.internal;

/** The engine side of an {@code ActorHandle}: the actor's record on the node that owns it. */
public final class ActorRef {
    private final LocalRuntime runtime;
    private final ActorRecord record;

    ActorRef(LocalRuntime runtime, ActorRecord record) {
        this.runtime = runtime;
        this.record = record;
    }

    public ObjectCell call(Object method, Object[] args) {
        return runtime.callActor(record, method, args);
    }

    public void kill() {
        runtime.kill(record);
    }

    public long id() {
        return record.id;
    }

    public String name() {
        return record.name;
    }

    /** The actor's class when known (from the constructor's signature or the live instance), else null. */
    public Class<?> actorClass() {
        final Object i = record.instance();
        return i != null ? i.getClass() : record.actorClass;
    }

    public boolean isAlive() {
        return record.isAlive();
    }

    @Override
    public String toString() {
        return record.describe();
    }
}
