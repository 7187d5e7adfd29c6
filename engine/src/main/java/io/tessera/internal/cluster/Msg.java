package io.tessera.internal.cluster;

/**
 * The engine's control message types on the transport (types below 100 are the transport's own).
 * Bodies are {@link Wire} encodings, written by one proxy per receiving peer and read by its adapter;
 * the layouts are documented on the proxies: {@link HeadProxy} (to the head), {@link NodeProxy} (to a
 * worker node), {@link OwnerProxy} (to every member as an owner and as the head's subscriber, and the
 * results owners receive), {@link LogProxy} (task output and log reading).
 */
final class Msg
{
    static final int REGISTER = 100;
    static final int HEARTBEAT = 101;
    static final int VIEW = 102;
    static final int STATUS = 103;
    static final int NAME_ACTOR = 104;
    static final int LOOKUP_ACTOR = 105;
    static final int UNNAME_ACTOR = 106;
    static final int JOB = 107;
    static final int NODE_DEAD = 108;
    static final int OBJECT_AT = 109;
    static final int OBJECT_GONE = 117;

    static final int JOB_CLASSPATH = 110;
    static final int FETCH_JAR = 111;
    /** Class-path entries travel in chunks of this size (control frames are small by design). */
    static final int JAR_CHUNK = 512 * 1024;
    static final int SUBMIT_TASK = 112;
    static final int CREATE_ACTOR = 113;
    static final int CALL_ACTOR = 114;
    static final int KILL_ACTOR = 115;
    static final int FREE_OBJECTS = 116;

    static final int GET_OBJECT = 118;
    static final int RELEASE_REF = 119;

    static final int ACTOR_UP = 120;
    static final int ACTOR_DOWN = 121;

    static final int CANCEL = 130;
    static final int RECREATE_OBJECT = 131;

    static final int JOB_END = 122;
    static final int JOB_GONE = 123;
    static final int NODE_STATS = 124;

    static final int ROLE = 125;
    static final int STATE_QUERY = 126;

    /** Task output and log reading (see {@link LogProxy}). */
    static final int TASK_LOGS = 132;
    static final int DRIVER_LOGS = 133;
    static final int LOGS = 134;
    static final int NODE_LOGS = 135;

    /** Argument and result tags (see {@link NodeProxy} and {@link OwnerProxy}). */
    static final int VALUE = 0;
    static final int REMOTE = 1;
    static final int STORED = 1;
    static final int ERROR = 2;

    private Msg()
    {
    }
}
