package io.tessera.internal.cluster;

import io.tessera.transport.Connection;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What each peer may send here, by the role it declared in its first message (ROLE): a status
 * client reads, a driver runs work and owns objects, a node also registers and heartbeats. Only the
 * head's connection may say that a node died or a job ended. Connections this process opened lead
 * to nodes it chose to reach; a peer that declared nothing may send nothing. The token still makes
 * every holder able to run code on the nodes: roles keep a confused or curious client (a status
 * tool, a driver) from changing the cluster's tables, they do not make an untrusted token holder safe.
 * <pre>
 *   message                                   status  driver  node  (connections opened here: all but *)
 *   VIEW STATUS LOOKUP_ACTOR NODE_STATS         x       x      x
 *   LOGS NODE_LOGS                              x       x      x
 *   STATE_QUERY                               x       x      x
 *   JOB JOB_END                                         x
 *   owner messages (tasks, actors, objects)             x      x
 *   REGISTER HEARTBEAT OBJECT_AT OBJECT_GONE FETCH_JAR         x
 *   TASK_LOGS                                                  x
 *   NODE_DEAD JOB_GONE DRIVER_LOGS *                      only from the head, on the connection to it
 * </pre>
 */
final class PeerRoles
{
    enum Role
    {
        STATUS, DRIVER, NODE
    }

    private static final Set<Integer> READ = Set.of(Msg.VIEW, Msg.STATUS, Msg.LOOKUP_ACTOR, Msg.NODE_STATS, Msg.LOGS,
        Msg.NODE_LOGS, Msg.STATE_QUERY);
    private static final Set<Integer> OWNER = Set.of(Msg.NAME_ACTOR, Msg.UNNAME_ACTOR, Msg.ACTOR_UP, Msg.ACTOR_DOWN,
        Msg.JOB_CLASSPATH, Msg.SUBMIT_TASK, Msg.CREATE_ACTOR, Msg.CALL_ACTOR, Msg.KILL_ACTOR, Msg.FREE_OBJECTS,
        Msg.GET_OBJECT, Msg.RELEASE_REF, Msg.CANCEL, Msg.RECREATE_OBJECT);
    private static final Set<Integer> DRIVER_ONLY = Set.of(Msg.JOB, Msg.JOB_END);
    private static final Set<Integer> NODE_ONLY = Set.of(Msg.REGISTER, Msg.HEARTBEAT, Msg.OBJECT_AT, Msg.OBJECT_GONE, Msg.FETCH_JAR,
        Msg.TASK_LOGS);
    private static final Set<Integer> HEAD_ONLY = Set.of(Msg.NODE_DEAD, Msg.JOB_GONE, Msg.DRIVER_LOGS);

    private final Map<Connection, Role> declared = new ConcurrentHashMap<>();
    private final Set<Connection> opened = ConcurrentHashMap.newKeySet();
    private final LongAdder refused = new LongAdder();

    /** This process opened {@code c} (and declares its own role on it). */
    void opened(Connection c)
    {
        opened.add(c);
    }

    /** ROLE from a peer; null when accepted, else why not (unknown role, or a second declaration). */
    String declare(Connection c, String role)
    {
        final Role r;
        try
        {
            r = Role.valueOf(role == null ? "" : role.toUpperCase(java.util.Locale.ROOT));
        }
        catch (IllegalArgumentException ex)
        {
            return "unknown role '" + role + "' (driver, node or status)";
        }
        final Role before = declared.putIfAbsent(c, r);
        return before == null || before == r ? null : "this connection declared role " + before + " already";
    }

    void closed(Connection c)
    {
        declared.remove(c);
        opened.remove(c);
    }

    /** Null when {@code type} from {@code c} is allowed, else why it is refused. */
    String refusal(Connection c, int type, boolean fromHead)
    {
        final String why = check(c, type, fromHead);
        if (why != null)
        {
            refused.increment();
        }
        return why;
    }

    private String check(Connection c, int type, boolean fromHead)
    {
        if (HEAD_ONLY.contains(type))
        {
            return fromHead ? null : "message type " + type + " is accepted only from the head";
        }
        if (opened.contains(c))
        {
            return null;
        }
        final Role r = declared.get(c);
        if (r == null)
        {
            return "the peer declared no role (ROLE must be its first message)";
        }
        final boolean allowed = READ.contains(type)
            || (r != Role.STATUS && OWNER.contains(type))
            || (r == Role.DRIVER && DRIVER_ONLY.contains(type))
            || (r == Role.NODE && NODE_ONLY.contains(type))
            || (r != Role.STATUS && type < 100);
        return allowed ? null : "a " + r.name().toLowerCase(java.util.Locale.ROOT) + " may not send message type " + type;
    }

    /** Messages refused so far. */
    long refusedCount()
    {
        return refused.sum();
    }
}
