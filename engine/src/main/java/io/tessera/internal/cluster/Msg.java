package io.tessera.internal.cluster;

/**
 * The engine's control message types on the transport (types below 100 are the transport's own).
 * Bodies are {@link Wire} encodings; the layouts are written beside each constant.
 */
final class Msg {
    /** node → head: nodeId, address, host, storePath, total amounts. Reply: empty. */
    static final int REGISTER = 100;
    /** node → head (no reply): nodeId, free amounts. */
    static final int HEARTBEAT = 101;
    /** any → head: empty. Reply: n × (nodeId, address, host, storePath, alive, total, free). */
    static final int VIEW = 102;
    /** any → head: empty. Reply: a human-readable report. */
    static final int STATUS = 103;
    /** owner → head: name, actorId, nodeId, address, className. Reply: taken?, holder description. */
    static final int NAME_ACTOR = 104;
    /** any → head: name. Reply: found?, actorId, nodeId, address, className. */
    static final int LOOKUP_ACTOR = 105;
    /** owner → head (no reply): name, actorId. */
    static final int UNNAME_ACTOR = 106;
    /** driver → head (no reply): jobId, driver address. */
    static final int JOB = 107;
    /** head → subscribers (no reply): nodeId, address. */
    static final int NODE_DEAD = 108;
    /** node → head (no reply): objectId, nodeId — the node holds a primary copy for its owner. */
    static final int OBJECT_AT = 109;
    /** node → head (no reply): objectId — the copy was freed. */
    static final int OBJECT_GONE = 117;

    /** owner → node: jobId, n × (name, sha256, size). Reply once every entry is cached: empty. */
    static final int JOB_CLASSPATH = 110;
    /** node → driver: sha256, offset. Reply: up to {@link #JAR_CHUNK} bytes of the entry from offset. */
    static final int FETCH_JAR = 111;
    /** Class-path entries travel in chunks of this size (control frames are small by design). */
    static final int JAR_CHUNK = 512 * 1024;
    /** owner → node: a task (see ClusterMember#encodeTask). Reply: a result (see Results). */
    static final int SUBMIT_TASK = 112;
    /** owner → node: jobId, constructor, args, spec. Reply: actorId. */
    static final int CREATE_ACTOR = 113;
    /** owner → node: actorId, result id (hi, lo: the owner's id of the call, for large results and CANCEL), method, args. Reply: a result. */
    static final int CALL_ACTOR = 114;
    /** owner → node: actorId. Reply: empty. */
    static final int KILL_ACTOR = 115;
    /** owner → holder (no reply): n × (hi, lo). */
    static final int FREE_OBJECTS = 116;

    /** borrower → owner: hi, lo. Reply once the object is ready: a result (VALUE / STORED / ERROR). Registers the borrow. */
    static final int GET_OBJECT = 118;
    /** borrower → owner (no reply): hi, lo — the borrower's ref became unreachable. */
    static final int RELEASE_REF = 119;

    /** owner → head (no reply): name or "", actorId, nodeId, address, className — an actor was placed. */
    static final int ACTOR_UP = 120;
    /** owner → head (no reply): actorId — the actor is gone. */
    static final int ACTOR_DOWN = 121;

    /**
     * owner → node, borrower → owner (no reply): hi, lo — cancel the task or actor call whose result
     * has that id: a node removes it from its queue or interrupts it; an owner forwards it to where
     * it sent the work (or cancels it locally).
     */
    static final int CANCEL = 130;
    /**
     * borrower → owner: hi, lo, holder address the borrower could not pull from. The owner re-creates
     * the object from its lineage if that holder died. Reply: STORED, holder address | ERROR, exception.
     */
    static final int RECREATE_OBJECT = 131;

    /** driver → head: jobId — the driver is done (Tessera.shutdown). Reply: empty. The head then sends JOB_GONE. */
    static final int JOB_END = 122;
    /**
     * head → subscribers (no reply): jobId, driver nodeId ("" when unknown) — the job ended (its driver
     * said so, or its driver's connection to the head stayed closed for the grace period): nodes free
     * what they hold for it, kill its actors, close its class loader; everyone drops the driver's borrows.
     */
    static final int JOB_GONE = 123;
    /** any → node: gc first?. Reply: n × (name, value) — this node's resource use (heap, files, threads, store). */
    static final int NODE_STATS = 124;

    /**
     * any → any (no reply): role — "driver", "node" or "status"; the first message on every connection a
     * process opens. What a peer may send depends on it (see {@link PeerRoles}); it cannot be changed.
     */
    static final int ROLE = 125;

    /** Argument and result tags. */
    static final int VALUE = 0;
    static final int REMOTE = 1;
    static final int STORED = 1;
    static final int ERROR = 2;

    private Msg() {
    }
}
