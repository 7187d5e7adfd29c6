package io.tessera;

/**
 * The actor is dead: killed, its constructor threw, it ran out of restarts, or it could never be placed (cause {@link
 * InfeasibleTaskException}).
 */
public class ActorDiedException extends TesseraException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which actor died and why.
     */
    public ActorDiedException(String message)
    {
        super(message);
    }

    /**
     * Creates the exception with what caused it.
     *
     * @param message which actor died and why.
     * @param cause   the failure that killed it (a constructor's exception, or the {@link InfeasibleTaskException}
     * for an actor that can never be placed).
     */
    public ActorDiedException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
