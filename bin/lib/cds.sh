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
  java=$(pier_java_path)
  lib=$(pier_libjvm "$java")
  { echo "$java"; stat -c '%s %Y' "$lib" 2>/dev/null || true; } | sha256sum | cut -c1-12
}

# cds_extract JAR DEST LOG: DEST/app.jar and DEST/lib/, complete or absent (made beside, then renamed). A jar
# without Spring in it (the router: Spring Boot's packaging, no Spring) cannot run Spring Boot's jar mode, which
# needs spring-core; cds_extract_plain lays it out the same way.
cds_extract() {
  local jar=$1 dest=$2 log=$3
  [ -f "$dest/app.jar" ] && return 0
  rm -rf "$dest" "$dest.tmp"
  if python3 -c 'import sys, zipfile
sys.exit(not any(n.startswith("BOOT-INF/lib/spring-core-") for n in zipfile.ZipFile(sys.argv[1]).namelist()))' "$jar"; then
    java -Djarmode=tools -jar "$jar" extract --destination "$dest.tmp" --application-filename app.jar >>"$log" 2>&1 \
      || { rm -rf "$dest.tmp"; return 1; }
  else
    cds_extract_plain "$jar" "$dest.tmp" >>"$log" 2>&1 || { rm -rf "$dest.tmp"; return 1; }
  fi
  mv "$dest.tmp" "$dest"
}

# cds_extract_plain JAR DEST: what `-Djarmode=tools extract` makes of a Spring Boot jar, without Spring: DEST/lib/
# holds BOOT-INF/lib's jars, DEST/app.jar BOOT-INF/classes with a manifest naming the Start-Class as Main-Class and
# lib/'s jars as its Class-Path (lines wrapped at 72 bytes, as the jar format wants).
cds_extract_plain() {
  python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
source, dest = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(dest, "lib"))
with zipfile.ZipFile(source) as boot:
    manifest = boot.read("META-INF/MANIFEST.MF").decode()
    start = next(line.split(":", 1)[1].strip() for line in manifest.splitlines() if line.startswith("Start-Class:"))
    libs = []
    for name in boot.namelist():
        if name.startswith("BOOT-INF/lib/") and name.endswith(".jar"):
            libs.append("lib/" + os.path.basename(name))
            with open(os.path.join(dest, libs[-1]), "wb") as out:
                out.write(boot.read(name))

    def header(text):  # a manifest header: 72 bytes a line, continued on lines that start with a space
        data, lines = text.encode(), []
        lines.append(data[:72])
        data = data[72:]
        while data:
            lines.append(b" " + data[:71])
            data = data[71:]
        return b"".join(line + b"\r\n" for line in lines)

    with zipfile.ZipFile(os.path.join(dest, "app.jar"), "w", zipfile.ZIP_DEFLATED) as app:
        app.writestr("META-INF/MANIFEST.MF", header("Manifest-Version: 1.0") + header("Main-Class: " + start)
                     + header("Class-Path: " + " ".join(libs)) + b"\r\n")
        for name in boot.namelist():
            inner = name[len("BOOT-INF/classes/"):]
            if name.startswith("BOOT-INF/classes/") and inner and not name.endswith("/") \
                    and inner != "META-INF/MANIFEST.MF":
                app.writestr(inner, boot.read(name))
PY
}

# cds_train APP JSA LOG [VAR=value...]: a training run of APP (an extracted app.jar) with the environment given,
# recording JSA, which is complete or absent. CDS_SERVICE names the service (its caps: the platform's metaspace holds
# seven services' classes, more than the others' cap). The JVM options are the services' own (pier_java_opts): an archive is
# only used by a JVM whose class path and heap and GC options match the ones it was made with. The JIT compilers
# need not match (a training run with both serves a service with C1 alone, bin/lib/jvm.sh: `bin/pier-dev status`
# shows every service mapping its archive). It runs where the service will: after
# RUN_PREFIX when set (a machine's nsenter; in the root namespace, the controller's training run on a machine
# found no PostgreSQL and failed).
cds_train() {
  local app=$1 jsa=$2 log=$3; shift 3
  rm -f "$jsa.tmp"
  # shellcheck disable=SC2046  # pier_java_opts is a list of options
  if timeout "${PIER_CDS_TRAINING_TIMEOUT:-180}" ${RUN_PREFIX[@]+"${RUN_PREFIX[@]}"} env "$@" java $(pier_java_opts "${CDS_SERVICE:-}") -XX:ArchiveClassesAtExit="$jsa.tmp" \
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

# cds_prune CDS_DIR PIDS_DIR: removes the archives (CDS_DIR/<key>/, with the jar extracted there) that no service
# was started with any more (an earlier build, an earlier JVM): every key a service started with is in
# PIDS_DIR/<service>.cds, and one a running service uses stays, since it runs from the jar extracted there.
# The keys are read once, not `cat | grep -q` for each archive: under pipefail, grep -q's early exit killed cat with
# SIGPIPE while it still had files to write, the pipeline failed, and a running service's archive and jar were
# removed (the PostgreSQL provider then found no JDBC driver: a class it had not loaded yet).
cds_prune() {
  local cds=$1 pids=$2 dir kept
  kept=$(cat "$pids"/*.cds 2>/dev/null || true)
  for dir in "$cds"/*/; do
    [ -d "$dir" ] || continue
    grep -qxF "$(basename "$dir")" <<<"$kept" || rm -rf "$dir" "${dir%/}.lock"
  done
}
