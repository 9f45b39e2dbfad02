# JVM options for Pier's services: eight JVMs share a small machine, so each is capped and lean.
# PIER_JVM_HEAP overrides the heap cap (default 192m); PIER_JAVA_OPTS adds options.
pier_java_opts() {
  echo "-XX:+UseSerialGC -Xms32m -Xmx${PIER_JVM_HEAP:-192m} -Xss512k -XX:MaxMetaspaceSize=160m \
-XX:ReservedCodeCacheSize=64m -XX:+ExitOnOutOfMemoryError -Xshare:auto ${PIER_JAVA_OPTS:-}"
}
