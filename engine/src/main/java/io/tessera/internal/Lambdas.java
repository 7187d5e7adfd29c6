package io.tessera.internal;

import java.lang.invoke.SerializedLambda;

/** Facts about function objects the cluster layer needs. */
public final class Lambdas
{
    private static final ClassValue<Boolean> STATELESS = new ClassValue<>()
    {
        @Override
        protected Boolean computeValue(Class<?> type)
        {
            return type.getDeclaredFields().length == 0;
        }
    };

    private Lambdas()
    {
    }

    /**
     * Whether a function object carries no state (a method reference or a lambda capturing nothing),
     * so one deserialized instance may serve every call.
     */
    public static boolean isStateless(Object fn)
    {
        if (!STATELESS.get(fn.getClass()))
        {
            return false;
        }
        final SerializedLambda l = FnInfo.serializedLambda(fn);
        return l == null || l.getCapturedArgCount() == 0;
    }
}
