# Written by Pier's Java buildpack; sourced by the slug runner before the process starts.
# JVM defaults sized by the job's memory limit (MEMORY_AVAILABLE, MB, from the slug runner), as Heroku sizes them by
# the dyno's: in JAVA_OPTS and, except in one-off jobs, JAVA_TOOL_OPTIONS, before the app's own settings (which win).
# Heroku's rows for 512 MB and 1 GB; below 512 MB (Pier's default job is 256 MB) a smaller heap, the serial
# collector and a smaller code cache, so that the whole JVM, not only its heap, fits under the limit.
pier_jvm_options() {
  local mb=${1:-} flags="-Dfile.encoding=UTF-8"
  if [ -z "$mb" ]; then printf '%s' "$flags"; return; fi
  flags+=" -XX:MaxRAM=$((mb * 1048576))"
  if [ "$mb" -lt 448 ]; then
    flags+=" -Xmx$((mb * 40 / 100))m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=16m"
  elif [ "$mb" -le 640 ]; then
    flags+=" -Xmx$((mb * 300 / 512))m -Xss512k -XX:CICompilerCount=2"
  elif [ "$mb" -le 1280 ]; then
    flags+=" -Xmx$((mb * 671 / 1024))m -XX:CICompilerCount=2"
  else
    flags+=" -XX:MaxRAMPercentage=80.0"
  fi
  printf '%s' "$flags"
}
pier_jvm=$(pier_jvm_options "${MEMORY_AVAILABLE:-}")
export JAVA_OPTS="$pier_jvm${JAVA_OPTS:+ $JAVA_OPTS}"
if [ "${PIER_PROCESS_TYPE:-}" != run ]; then
  export JAVA_TOOL_OPTIONS="$pier_jvm${JAVA_TOOL_OPTIONS:+ $JAVA_TOOL_OPTIONS}"
fi
# glibc's malloc arenas (one per core and thread by default) are most of a small JVM's memory outside its heap
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
unset pier_jvm
