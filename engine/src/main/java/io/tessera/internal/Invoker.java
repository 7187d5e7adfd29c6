package io.tessera.internal;

import io.tessera.Fn0;
import io.tessera.Fn1;
import io.tessera.Fn2;
import io.tessera.Fn3;
import io.tessera.Fn4;
import io.tessera.Fn5;
import io.tessera.Fn6;
import io.tessera.VoidFn0;
import io.tessera.VoidFn1;
import io.tessera.VoidFn2;
import io.tessera.VoidFn3;
import io.tessera.VoidFn4;
import io.tessera.VoidFn5;
import io.tessera.VoidFn6;

/** Calls an {@code FnN}/{@code VoidFnN} with resolved arguments; void functions return null. */
final class Invoker
{
    private Invoker()
    {
    }

    /**
     * Checks that {@code fn} is a Tessera function taking {@code given} arguments.
     *
     * @throws IllegalArgumentException when it is not, naming the function
     */
    static void checkArity(Object fn, int given, String name)
    {
        final int arity = arity(fn);
        if (arity < 0)
        {
            throw new IllegalArgumentException(fn.getClass().getName() + " is not a Tessera function (Fn0..Fn6, VoidFn0..VoidFn6)");
        }
        if (arity != given)
        {
            throw new IllegalArgumentException(name + " takes " + arity + " arguments, got " + given);
        }
    }

    /** The number of parameters {@code fn} takes, or -1 when it is not one of the function types. */
    static int arity(Object fn)
    {
        return switch (fn)
        {
            case Fn0<?> f -> 0;
            case Fn1<?, ?> f -> 1;
            case Fn2<?, ?, ?> f -> 2;
            case Fn3<?, ?, ?, ?> f -> 3;
            case Fn4<?, ?, ?, ?, ?> f -> 4;
            case Fn5<?, ?, ?, ?, ?, ?> f -> 5;
            case Fn6<?, ?, ?, ?, ?, ?, ?> f -> 6;
            case VoidFn0 f -> 0;
            case VoidFn1<?> f -> 1;
            case VoidFn2<?, ?> f -> 2;
            case VoidFn3<?, ?, ?> f -> 3;
            case VoidFn4<?, ?, ?, ?> f -> 4;
            case VoidFn5<?, ?, ?, ?, ?> f -> 5;
            case VoidFn6<?, ?, ?, ?, ?, ?> f -> 6;
            default -> -1;
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object invoke(Object fn, Object[] a) throws Exception
    {
        switch (fn)
        {
            case Fn0 f ->
            {
                return f.apply();
            }
            case Fn1 f ->
            {
                return f.apply(a[0]);
            }
            case Fn2 f ->
            {
                return f.apply(a[0], a[1]);
            }
            case Fn3 f ->
            {
                return f.apply(a[0], a[1], a[2]);
            }
            case Fn4 f ->
            {
                return f.apply(a[0], a[1], a[2], a[3]);
            }
            case Fn5 f ->
            {
                return f.apply(a[0], a[1], a[2], a[3], a[4]);
            }
            case Fn6 f ->
            {
                return f.apply(a[0], a[1], a[2], a[3], a[4], a[5]);
            }
            case VoidFn0 f -> f.apply();
            case VoidFn1 f -> f.apply(a[0]);
            case VoidFn2 f -> f.apply(a[0], a[1]);
            case VoidFn3 f -> f.apply(a[0], a[1], a[2]);
            case VoidFn4 f -> f.apply(a[0], a[1], a[2], a[3]);
            case VoidFn5 f -> f.apply(a[0], a[1], a[2], a[3], a[4]);
            case VoidFn6 f -> f.apply(a[0], a[1], a[2], a[3], a[4], a[5]);
            default -> throw new IllegalArgumentException("not a Tessera function type: " + fn.getClass().getName());
        }
        return null;
    }
}
