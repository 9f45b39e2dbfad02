# JVM options for Pier's services: eight JVMs share a small machine, so each is capped and lean.
# PIER_JVM_HEAP overrides the heap cap (default 192m); PIER_JAVA_OPTS adds options.
pier_java_opts() {
  echo "-XX:+UseSerialGC -Xms32m -Xmx${PIER_JVM_HEAP:-192m} -Xss512k -XX:MaxMetaspaceSize=160m \
-XX:ReservedCodeCacheSize=64m -XX:+ExitOnOutOfMemoryError -Xshare:auto ${PIER_JAVA_TRIM:-} ${PIER_JAVA_OPTS:-}"
}

# Native memory the JVM has freed (the JIT compilers' arenas after a burst of compiling, mostly) goes back to
# the system every 5 s instead of staying in the C library's heap: `-XX:TrimNativeHeapInterval`, in OpenJDK 17
# since 17.0.9; an older 17 starts without it. Asked once, when this file is sourced.
if [ -z "${PIER_JAVA_TRIM+set}" ]; then
  PIER_JAVA_TRIM=
  if java -XX:TrimNativeHeapInterval=5000 -version >/dev/null 2>&1; then
    PIER_JAVA_TRIM=-XX:TrimNativeHeapInterval=5000
  fi
  export PIER_JAVA_TRIM
fi

# Two malloc arenas per JVM, not eight per core: a service's threads allocate little outside the Java heap, and
# each extra arena keeps its own free memory (bench/controller, with both: RSS after load 264–294 MB instead of
# 290–304 MB; docs/benchmarks.md).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
