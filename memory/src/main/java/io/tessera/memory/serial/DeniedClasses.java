package io.tessera.memory.serial;

import java.util.ArrayList;
import java.util.List;

/**
 * Classes no Tessera process deserializes from another process's bytes, whatever the encoding (Java
 * serialization, Fory): the well-known gadget classes that turn reading a stream into running code
 * (ysoserial's chains and the like). A deny-list only stops what it names; it is a second line
 * behind the cluster token, which every peer must hold. More prefixes can be added with the system
 * property {@code tessera.serial.deny} (comma-separated class names or package prefixes ending in
 * {@code .}).
 */
public final class DeniedClasses
{
    /** Class-name prefixes (packages end in {@code .}) that are refused. */
    private static final List<String> BUILT_IN = List.of(
        "org.apache.commons.collections.functors.",
        "org.apache.commons.collections4.functors.",
        "org.apache.commons.beanutils.BeanComparator",
        "org.codehaus.groovy.runtime.",
        "groovy.lang.",
        "com.sun.org.apache.xalan.",
        "org.apache.xalan.",
        "com.sun.rowset.",
        "com.sun.jndi.",
        "javax.management.",
        "javax.naming.",
        "java.rmi.server.",
        "sun.rmi.",
        "java.beans.beancontext.",
        "org.springframework.beans.factory.",
        "org.springframework.aop.",
        "org.springframework.transaction.jta.",
        "com.mchange.v2.c3p0.",
        "org.hibernate.engine.spi.",
        "org.hibernate.tuple.",
        "org.hibernate.property.",
        "bsh.",
        "clojure.",
        "org.python.core.",
        "org.mozilla.javascript.",
        "com.sun.syndication.",
        "org.apache.myfaces.",
        "org.apache.wicket.util.upload.",
        "org.apache.commons.fileupload.",
        "org.jboss.interceptor.",
        "org.jboss.weld.interceptor.",
        "net.sf.json.",
        "javassist.",
        "com.alibaba.fastjson.",
        "org.apache.commons.configuration.",
        "org.apache.commons.jelly.",
        "org.apache.click.control.",
        "org.apache.batik.",
        "com.rometools.rome.feed.impl.",
        "org.eclipse.jetty.util.log.",
        "com.vaadin.data.util.");

    private static final List<String> PREFIXES = prefixes();

    private DeniedClasses()
    {
    }

    /**
     * Returns true when it must not be deserialized.
     *
     * @param className a binary class name (an array's component name for arrays).
     * @return true when it must not be deserialized.
     */
    public static boolean isDenied(final String className)
    {
        String name = className;
        while (name.startsWith("["))
        {
            name = name.substring(1);
        }
        if (name.startsWith("L") && name.endsWith(";"))
        {
            name = name.substring(1, name.length() - 1);
        }
        for (final String prefix : PREFIXES)
        {
            if (name.startsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }

    private static List<String> prefixes()
    {
        final List<String> all = new ArrayList<>(BUILT_IN);
        final String extra = System.getProperty("tessera.serial.deny", "");
        for (final String p : extra.split(","))
        {
            if (!p.isBlank())
            {
                all.add(p.trim());
            }
        }
        return List.copyOf(all);
    }
}
