#!/usr/bin/env bash
# tessera bench [--quick] [--include REGEX]... [--exclude REGEX]... [--out FILE] [--ignore-lock] [-- JMH-ARGS...]
#
# Builds the shaded JMH jar (jmh/target/benchmarks.jar) when it is missing or older than any source,
# runs the suites with the project's JVM flags in every forked benchmark JVM, writes JMH's JSON to
# bench-results.json at the repository root and prints the table of Tessera figures beside their
# baselines (io.tessera.jmh.report.BenchTable). See BENCHMARKS.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=jdk.sh
. "$root/bin/lib/jdk.sh"
tessera_find_jdk || exit 1

usage() {
  cat <<'EOF'
usage: tessera bench [--quick] [--include REGEX]... [--exclude REGEX]... [--out FILE] [--ignore-lock] [-- JMH-ARGS...]
  --quick         a curated subset with every suite's headline figure, 1 fork, 1 s warmup,
                  2 x 1 s measurement: under 5 minutes on 2 cores
  --include REGEX run only benchmarks whose full name matches (JMH regex; repeatable);
                  replaces the quick subset when given with --quick
  --exclude REGEX skip benchmarks whose full name matches (repeatable)
  --out FILE      JMH's JSON results (default: bench-results.json at the repository root)
  --ignore-lock   run even when another JMH run holds /tmp/jmh.lock (timings will interfere)
  -- JMH-ARGS     passed to JMH last, overriding the settings above (e.g. -- -wi 5 -r 5s)
Without --quick: every suite, 1 fork, 3 x 1 s warmup, 5 x 2 s measurement (about 15 s a benchmark).
--quick also profiles allocation (-prof gc: a B/op column for Tessera and baseline).
Unless --include narrowed the run, it ends with the idle-node check (io.tessera.jmh.engine.IdleNodeCpu:
CPU of a node doing nothing for 10 s, beside the idle common pool; a warning at 2 % of one core or more).
GPU suites are skipped when no NVIDIA driver (libcuda.so.1) is present.
EOF
}

quick=0
out="$root/bench-results.json"
includes=()
excludes=()
extra=()
ignore_lock=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --include) [ $# -ge 2 ] || { echo "tessera bench: --include needs a REGEX" >&2; exit 2; }; includes+=("$2"); shift ;;
    --exclude) [ $# -ge 2 ] || { echo "tessera bench: --exclude needs a REGEX" >&2; exit 2; }; excludes+=("$2"); shift ;;
    --out) [ $# -ge 2 ] || { echo "tessera bench: --out needs a FILE" >&2; exit 2; }; out=$(realpath -m "$2"); shift ;;
    --ignore-lock) ignore_lock=1 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "tessera bench: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

user_includes=(${includes[@]+"${includes[@]}"})

jar="$root/jmh/target/benchmarks.jar"
stale() {
  [ -f "$jar" ] || return 0
  [ -n "$(find "$root"/{memory,scheduler,transport,gpu,engine,jmh}/src/main "$root"/pom.xml "$root"/*/pom.xml \
            -newer "$jar" -type f 2>/dev/null | head -n1)" ]
}
if stale; then
  echo "tessera bench: building jmh/target/benchmarks.jar (missing or older than the sources)..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -pl jmh -am package) >&2
fi

# The project's JVM flags (tessera.jvm.flags in the root pom, filtered into the engine's jvm.options).
# JMH starts each fork with -jvmArgs in place of the host JVM's own arguments, and keeps a class's
# @Fork(jvmArgsAppend=...) after them; the host gets them too so that -f 0 runs work as well.
flags=$(unzip -p "$jar" io/tessera/jvm.options 2>/dev/null || cat "$root/engine/target/classes/io/tessera/jvm.options")
[ -n "$flags" ] || { echo "tessera bench: no io/tessera/jvm.options in $jar; rebuild with ./mvnw -pl jmh -am package" >&2; exit 1; }

# --quick: every suite's headline figure, each beside its baseline (about 35 benchmarks).
quick_set=(
  'io\.tessera\.jmh\.engine\.(OneToOneTaskLatency|TaskThroughput|ActorCallLatency|ActorCallThroughput|NestedTasks|WaitOnThousandRefs)\.'
  'io\.tessera\.jmh\.peer\.(PeerTaskLatency|PeerObjectLatency)\.'
  'io\.tessera\.jmh\.store\.(SmallPutGetLatency|CrossProcessGetLatency)\.'
  'io\.tessera\.jmh\.scheduler\.'
  'io\.tessera\.jmh\.transport\.'
  'io\.tessera\.jmh\.cluster\.(CrossNodeTaskLatency|UserPathLatency|UserPathThroughput)\.'
  'io\.tessera\.jmh\.gpu\.KernelLaunchLatency\.'
)
if [ "$quick" = 1 ]; then
  # one point of each parameter sweep: 1 KiB objects through the engine, 8 B ones in the store alone (issue #15
  # goal 4), 16 actors, the io_uring transport, the default task record ring; -prof gc adds the bytes allocated
  # per operation beside each figure (goal 3: per task, against supplyAsync's)
  settings=(-f 1 -wi 1 -w 1s -i 2 -r 1s -p valueBytes=1024 -p sizeBytes=8 -p actors=16 -p kind=IO_URING -p taskRecords=10000
            -prof gc)
  [ ${#includes[@]} -gt 0 ] || includes=("${quick_set[@]}")
else
  settings=(-f 1 -wi 3 -w 1s -i 5 -r 2s)
fi

if ! { ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1'; } && [ ! -e /usr/local/nvidia/lib64/libcuda.so.1 ]; then
  echo "tessera bench: no NVIDIA driver (libcuda.so.1) here; skipping io.tessera.jmh.gpu" >&2
  excludes+=('io\.tessera\.jmh\.gpu\.')
fi

args=()
[ ${#includes[@]} -gt 0 ] && args+=("${includes[@]}")
for e in ${excludes[@]+"${excludes[@]}"}; do args+=(-e "$e"); done
args+=("${settings[@]}" -foe false -jvmArgs "$flags" -rf json -rff "$out")
[ ${#extra[@]} -gt 0 ] && args+=("${extra[@]}")

lock=()
[ "$ignore_lock" = 1 ] && lock=(-Djmh.ignoreLock=true)

echo "tessera bench: $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cd "$root"
set +e
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $flags ${lock[@]+"${lock[@]}"} -jar "$jar" ${args[@]+"${args[@]}"}
rc=$?
set -e
echo "tessera bench: load average at end: $(cut -d' ' -f1-3 /proc/loadavg); JSON in $out" >&2
if [ -s "$out" ]; then
  echo
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" -cp "$jar" io.tessera.jmh.report.BenchTable "$out"
fi
# What an idle node costs (issue #15 goal 1: < 2 % of one core), beside the idle common pool: not a JMH score.
# Runs with the whole set or --quick, not when the run was narrowed with --include.
if [ ${#user_includes[@]} -eq 0 ]; then
  echo
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" $flags -cp "$jar" io.tessera.jmh.engine.IdleNodeCpu --seconds 10 2>/dev/null \
    || echo "tessera bench: the idle node used 2 % of one core or more (IdleNodeCpu above)" >&2
fi
if [ "$rc" != 0 ] && [ "$ignore_lock" = 0 ]; then
  echo "tessera bench: JMH exited with $rc; if it reported another JMH run holding /tmp/jmh.lock, wait for it or pass --ignore-lock" >&2
fi
exit "$rc"
