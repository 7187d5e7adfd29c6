package io.tessera.internal.cluster;

import io.tessera.transport.Connection;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A handler of any adapter's interface that records each call as its name and the decoded fields
 * (without the connection and the correlation id), and answers the calls given an answer (a reply,
 * a class loader).
 */
final class Recorder implements InvocationHandler
{
    final List<List<Object>> calls = new ArrayList<>();
    private final Map<String, Function<Object[], Object>> answers = new HashMap<>();

    Recorder answer(String method, Function<Object[], Object> answer)
    {
        answers.put(method, answer);
        return this;
    }

    <T> T as(Class<T> handler)
    {
        return handler.cast(java.lang.reflect.Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, this));
    }

    /** The last call recorded: its name, then its fields. */
    List<Object> last()
    {
        return calls.getLast();
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args)
    {
        final Object[] a = args == null ? new Object[0] : args;
        final Class<?>[] p = m.getParameterTypes();
        int from = p.length > 0 && p[0] == Connection.class ? 1 : 0;
        if (from == 1 && p.length > 1 && p[1] == long.class)
        {
            from = 2;  // the correlation id: a request
        }
        final List<Object> call = new ArrayList<>();
        call.add(m.getName());
        call.addAll(Arrays.asList(a).subList(from, a.length));
        calls.add(call);
        final Function<Object[], Object> answer = answers.get(m.getName());
        return answer == null ? null : answer.apply(a);
    }

    /** A call as {@link #last} shows it. */
    static List<Object> call(Object... nameAndFields)
    {
        return Arrays.asList(nameAndFields);
    }
}
