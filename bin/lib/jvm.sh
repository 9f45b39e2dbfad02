# JVM options for Pier's services: eight JVMs share a small machine, so each is capped and lean.
# PIER_JVM_HEAP overrides the heap cap (default 192m); PIER_JAVA_OPTS adds options (last, so they win).
pier_java_opts() { # [service name]
  echo "-XX:+UseSerialGC -Xms32m $(pier_heap_cap "${1:-}") -Xss512k \
-XX:ReservedCodeCacheSize=64m -XX:+ExitOnOutOfMemoryError -Xshare:auto $(pier_jit_opts "${1:-}") \
$(pier_heap_opts "${1:-}") ${PIER_JAVA_TRIM:-} ${PIER_JAVA_OPTS:-}"
}

# The heap and metaspace caps: the platform (machine 1's Layer 1 in one JVM, seven services) holds what seven JVMs
# held, so its caps are higher (PIER_PLATFORM_HEAP, default 384m; metaspace 320m); every other service 192m
# (PIER_JVM_HEAP) and 160m. A cap is not a size: the heap grows to what is live, then gives memory back (below).
pier_heap_cap() { # service name
  case "$1" in
    platform) echo "-Xmx${PIER_PLATFORM_HEAP:-384m} -XX:MaxMetaspaceSize=320m" ;;
    *) echo "-Xmx${PIER_JVM_HEAP:-192m} -XX:MaxMetaspaceSize=160m" ;;
  esac
}

# How the quiet services' heap is sized (the same ones as run C1 alone, below). With the serial collector's default
# young generation (a third of the heap, grown with it) every page of it is touched between two collections and stays
# resident: 16-23 MB a JVM for services that allocate little. A fixed 8 MB young generation costs them little (a
# machine's JVM, idle: a minor collection every 15 s or so, of 3 ms); and the old generation gives memory back after a
# full collection once more than 30 % of it is free (the default is 70 %), so what a burst (a fault, a deploy)
# grew does not stay. On a 3-machine cluster: a machine's JVM 188 MB instead of 200 right after a restart
# (docs/benchmarks.md, "A machine after an hour of chaos"). PIER_JAVA_OPTS=-Xmn32m gives a service more back.
pier_heap_opts() { # service name
  case "$1" in
    "" | controller | router) ;;
    *) echo "-Xmn8m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30" ;;
  esac
}

# The platform (machine 1's Layer 1 in one JVM: the controller and the router with the quiet services) runs C1 alone
# too: one JVM's C2 would compile for the controller and the router, and its compiler threads, arenas and code
# cache count against the whole control plane's footprint (issue #19); the router at the chaos suite's 50
# requests/s does not need C2 (docs/machines.md, "Layer 1 in one JVM"). PIER_JAVA_OPTS=-XX:TieredStopAtLevel=4
# gives it back.
#
# Which JIT compilers a service runs with. The controller and the router serve every client's requests and keep
# both (C1, then C2 for what runs hot). The others (discoverd, the host agents, the schedulers, the blobstore, the git
# receiver, the add-on providers) answer a few requests a second, and C2 cost them more than their work: on a
# 3-machine cluster after `up`, discoverd's C2 thread had used 7.8 of its 23 CPU-seconds and C1 4.0. With C1 alone
# (-XX:TieredStopAtLevel=1: compiled once, without profiling) discoverd started on 10.0 CPU-seconds instead of 19.1
# and the host agent on 7.7 instead of 13.0, each 8-35 MB smaller (docs/benchmarks.md, "JIT per service"). No name
# (a benchmark's own JVM): both compilers. PIER_JAVA_OPTS=-XX:TieredStopAtLevel=4 gives a service C2 back.
#
# A machine's JVM (discoverd and the host agent, m<i>-machine) also compiles later: C1's thresholds ten times the
# default (a method is compiled after 2,000 calls, not 200; a loop after 600,000 back-edges). Its code cache had
# grown to 25 MB under the chaos suite, most of it code that ran a few hundred times at start-up or during one
# fault; a machine's footprint is what issue #19 counts. Measured beside a twin 198 s after a start: 5,667 compiled
# methods against 11,340, code 8.6 MB against 19.7, RSS 176 MB against 188, CPU 18 s against 16
# (docs/benchmarks.md, "A machine after an hour of chaos").
pier_jit_opts() { # service name
  case "$1" in
    "" | controller | router) ;;
    *-machine) echo "-XX:TieredStopAtLevel=1 -XX:Tier3InvocationThreshold=2000 -XX:Tier3MinInvocationThreshold=1000 \
-XX:Tier3CompileThreshold=20000 -XX:Tier3BackEdgeThreshold=600000" ;;
    *) echo "-XX:TieredStopAtLevel=1" ;;
  esac
}

# Native memory the JVM has freed (the JIT compilers' arenas after a burst of compiling, mostly) goes back to
# the system every 5 s instead of staying in the C library's heap: `-XX:TrimNativeHeapInterval`, in OpenJDK 17
# since 17.0.9; an older 17 starts without it. Asked once per JVM build (a `java -version`, 0.6-1 s on a busy box,
# which every `pier-dev` command, `status` and `fault` too, paid when this file was sourced), the answer kept in
# /tmp under the name of the JVM's libjvm (its size and time), as bin/lib/cds.sh names archives.
# The JVM `java` runs, resolved, and its libjvm: what names a JVM build here and in bin/lib/cds.sh.
pier_java_path() { readlink -f "$(command -v java)"; }
pier_libjvm() { # [java path]
  echo "$(dirname "$(dirname "${1:-$(pier_java_path)}")")/lib/server/libjvm.so"
}

if [ -z "${PIER_JAVA_TRIM+set}" ]; then
  PIER_JAVA_TRIM=
  pier_java_trim_answer=${TMPDIR:-/tmp}/pier-java-trim-$(stat -c '%s-%Y' "$(pier_libjvm)" 2>/dev/null || echo unknown)
  if [ -f "$pier_java_trim_answer" ]; then
    read -r PIER_JAVA_TRIM <"$pier_java_trim_answer" || true
  else
    if java -XX:TrimNativeHeapInterval=5000 -version >/dev/null 2>&1; then
      PIER_JAVA_TRIM=-XX:TrimNativeHeapInterval=5000
    fi
    { echo "$PIER_JAVA_TRIM" >"$pier_java_trim_answer.$$" && mv "$pier_java_trim_answer.$$" "$pier_java_trim_answer"; } 2>/dev/null \
      || true
  fi
  unset pier_java_trim_answer
  export PIER_JAVA_TRIM
fi

# Two malloc arenas per JVM, not eight per core: a service's threads allocate little outside the Java heap, and
# each extra arena keeps its own free memory (bench/controller, with both: RSS after load 264–294 MB instead of
# 290–304 MB; docs/benchmarks.md).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
