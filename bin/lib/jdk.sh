# shellcheck shell=bash
# Finds a JDK >= 25 (the build compiles to release 25) and exports JAVA_HOME. Sourced by mvnw and bin/tessera.
# Order: $JAVA_HOME, `java` on PATH, then the usual install roots. Newest wins among the roots.

tessera_jdk_major() { # $1 = a JDK home; prints its feature version or nothing
  local rel="$1/release" v=""
  if [ -f "$rel" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel" | head -n1)
  elif [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  fi
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && printf '%s' "$v"
}

tessera_find_jdk() {
  local min=25 best="" bestv=0 cand v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(tessera_jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$min" ]; then return 0; fi
    echo "tessera: JAVA_HOME=$JAVA_HOME is JDK ${v:-unknown}, below $min; looking for a newer one" >&2
  fi
  if command -v java >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    v=$(tessera_jdk_major "$cand")
    if [ -n "$v" ] && [ "$v" -ge "$min" ]; then best=$cand; bestv=$v; fi
  fi
  for cand in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
              "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$cand" ] || continue
    v=$(tessera_jdk_major "$cand")
    if [ -n "$v" ] && [ "$v" -ge "$min" ] && [ "$v" -gt "$bestv" ]; then best=$cand; bestv=$v; fi
  done
  if [ -z "$best" ]; then
    echo "tessera: no JDK 25 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm); install JDK 25, e.g. 'apt-get install temurin-25-jdk' from Adoptium, then run again or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
