package io.tessera;

/** The actor is dead: killed, its constructor threw, it ran out of restarts, or it could never be placed (cause {@link InfeasibleTaskException}). */
public class ActorDiedException extends TesseraException {
    private static final long serialVersionUID = 1L;

    public ActorDiedException(String message) {
        super(message);
    }

    public ActorDiedException(String message, Throwable cause) {
        super(message, cause);
    }
}
