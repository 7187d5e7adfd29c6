package io.tessera.internal;

/** An actor hosted by this node. */
final class LocalActorRef extends ActorRef {
    private final LocalRuntime runtime;
    private final ActorRecord record;

    LocalActorRef(LocalRuntime runtime, ActorRecord record) {
        this.runtime = runtime;
        this.record = record;
    }

    @Override
    public ObjectCell call(Object method, Object[] args) {
        return runtime.callActor(record, method, args, null);
    }

    @Override
    public ObjectCell callForOwner(Object method, Object[] args, io.tessera.memory.ObjectId resultId) {
        return runtime.callActor(record, method, args, resultId);
    }

    @Override
    public void kill() {
        runtime.kill(record);
    }

    @Override
    public String id() {
        return record.idString();
    }

    @Override
    public String name() {
        return record.name;
    }

    @Override
    public Class<?> actorClass() {
        final Object i = record.instance();
        return i != null ? i.getClass() : record.actorClass;
    }

    @Override
    public boolean isAlive() {
        return record.isAlive();
    }

    @Override
    public String nodeAddress() {
        return null;
    }

    @Override
    public String toString() {
        return record.describe();
    }
}
