# Application class-data sharing (CDS) for Pier's Spring Boot jars (JDK dynamic archives, Spring Boot 3.3+).
# A jar is extracted once (Spring Boot's `-Djarmode=tools extract`: app.jar and lib/), then a training run
# starts it until its application context is refreshed (spring.context.exit=onRefresh: beans are made, no
# server is started; the router, which has no application context, starts and stops at once under
# pier.cds.training=true) and the JVM records the classes it loaded in an archive. Later starts map that archive in
# instead of finding, parsing and verifying those classes again. Needs pier_java_opts (bin/lib/jvm.sh).
# PIER_CDS=0 turns it off.

cds_enabled() { [ "${PIER_CDS:-1}" != 0 ]; }

# Names the JVM that `java` runs (its path, and its libjvm's size and time): an archive only serves the JVM
# build that made it, so an updated JDK needs archives of its own.
cds_jvm_id() {
  local java lib
  java=$(readlink -f "$(command -v java)")
  lib=$(dirname "$(dirname "$java")")/lib/server/libjvm.so
  { echo "$java"; stat -c '%s %Y' "$lib" 2>/dev/null || true; } | sha256sum | cut -c1-12
}

# cds_extract JAR DEST LOG: DEST/app.jar and DEST/lib/, complete or absent (made beside, then renamed).
cds_extract() {
  local jar=$1 dest=$2 log=$3
  [ -f "$dest/app.jar" ] && return 0
  rm -rf "$dest" "$dest.tmp"
  java -Djarmode=tools -jar "$jar" extract --destination "$dest.tmp" --application-filename app.jar >>"$log" 2>&1 \
    || { rm -rf "$dest.tmp"; return 1; }
  mv "$dest.tmp" "$dest"
}

# cds_train APP JSA LOG [VAR=value...]: a training run of APP (an extracted app.jar) with the environment given,
# recording JSA, which is complete or absent. The JVM options are the services' own: an archive is only used by
# a JVM whose class path and options match the ones it was made with.
cds_train() {
  local app=$1 jsa=$2 log=$3; shift 3
  rm -f "$jsa.tmp"
  # shellcheck disable=SC2046  # pier_java_opts is a list of options
  if timeout "${PIER_CDS_TRAINING_TIMEOUT:-180}" env "$@" java $(pier_java_opts) -XX:ArchiveClassesAtExit="$jsa.tmp" \
      -Dspring.context.exit=onRefresh -Dpier.cds.training=true -jar "$app" >>"$log" 2>&1 && [ -s "$jsa.tmp" ]; then
    mv "$jsa.tmp" "$jsa"
  else
    echo "training run failed (exit status or no archive written)" >>"$log"
    rm -f "$jsa.tmp"
    return 1
  fi
}

# cds_uses_archive PID: whether that JVM has a class-data archive of ours mapped (not only the JDK's own).
cds_uses_archive() { grep -q '/app\.jsa$' "/proc/$1/maps" 2>/dev/null; }
