# The Java buildpack's helpers (sourced by bin/compile). system_property, java_major, maven_failure and
# executable_jars read files only (unit-tested by JavaBuildpackTest); install_maven downloads.

# The Maven the build stack carries (docker/build-stacks, MAVEN_RUNTIMES) and uses when the app names none
DEFAULT_MAVEN=${DEFAULT_MAVEN:-3.9.16}
MAVEN_CENTRAL=${MAVEN_CENTRAL:-https://repo.maven.apache.org/maven2}

# system_property NAME: its value in ./system.properties (Java properties: "name=value" or "name: value"), or nothing
system_property() {
  [ -f system.properties ] || return 0
  sed -n "s/^[[:space:]]*${1//./\\.}[[:space:]]*[=:][[:space:]]*//p" system.properties | tr -d '\r' | sed 's/[[:space:]]*$//' | head -1
}

# java_major VERSION: the major version that a java.runtime.version names ("1.8" -> 8, "17.0.2" -> 17, "zulu-21" -> 21)
java_major() {
  local v=${1##*-}
  v=${v#1.}
  v=${v%%.*}
  printf '%s' "${v%%[!0-9]*}"
}

# stack_jdk MAJOR: the JAVA_HOME of that JDK when the stack has it (STACK_JDKS), else exit status 1
stack_jdk() {
  local jdk
  for jdk in $STACK_JDKS; do
    if [ "$jdk" = "$1" ] && [ -x "/usr/lib/jvm/java-$jdk-openjdk-amd64/bin/javac" ]; then
      echo "/usr/lib/jvm/java-$jdk-openjdk-amd64"; return 0
    fi
  done
  return 1
}

# install_maven VERSION CACHE: sets mvn to the path of that Maven's bin/mvn: the stack's (/runtimes/maven/VERSION),
# else the one kept in CACHE/VERSION, else org.apache.maven:apache-maven's bin tarball from Maven Central, checked
# against the sha512 that Central publishes beside it and kept in CACHE (one version).
install_maven() {
  local version=$1 cache=$2 url tarball expected actual
  if [ -x "/runtimes/maven/$version/bin/mvn" ]; then
    echo "       Maven $version from the stack"
    mvn=/runtimes/maven/$version/bin/mvn; return 0
  fi
  if [ -x "$cache/$version/bin/mvn" ]; then
    echo "       Maven $version from the build cache"
    mvn=$cache/$version/bin/mvn; return 0
  fi
  if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[A-Za-z0-9.-]+)?$ ]]; then
    echo " !     maven.version=$version (system.properties) is not a Maven version: write e.g. maven.version=3.9.16"
    return 1
  fi
  url="$MAVEN_CENTRAL/org/apache/maven/apache-maven/$version/apache-maven-$version-bin.tar.gz"
  echo "       Downloading Maven $version from Maven Central"
  rm -rf "$cache" && mkdir -p "$cache"
  tarball="$cache/apache-maven-$version-bin.tar.gz"
  if ! expected=$(curl -fsS --retry 3 --connect-timeout 10 --max-time 60 "$url.sha512"); then
    echo " !     maven.version=$version (system.properties): Maven Central has no apache-maven $version ($url.sha512); name a released version, e.g. $DEFAULT_MAVEN"
    return 1
  fi
  expected=${expected%% *}
  curl -fsS --retry 3 --connect-timeout 10 --max-time 600 -o "$tarball" "$url" \
    || { echo " !     Could not download $url"; return 1; }
  actual=$(sha512sum "$tarball" | cut -d' ' -f1)
  if [ "$actual" != "$expected" ]; then
    echo " !     apache-maven-$version-bin.tar.gz from Maven Central does not match its published sha512"
    rm -f "$tarball"; return 1
  fi
  mkdir -p "$cache/$version"
  tar -xzf "$tarball" -C "$cache/$version" --strip-components=1 --no-same-owner && rm -f "$tarball"
  echo "       sha512 checked; kept in the build cache"
  mvn=$cache/$version/bin/mvn
}

# maven_failure LOG: the cause of a failed Maven build in one line: the first compiler error, else the first goal
# that failed
maven_failure() {
  local line
  line=$(grep -m1 -E '^\[ERROR\] .*\.(java|kt|groovy|scala):\[[0-9]+' "$1" || true)
  if [ -n "$line" ]; then
    line=${line#\[ERROR\] }
    echo "compilation error: ${line#"$BUILD_DIR"/}"
    return
  fi
  line=$(grep -m1 -E '^\[ERROR\] (Failed to execute goal|Non-resolvable|Could not|Unknown lifecycle|The goal you specified|.*Non-parseable POM|.*Malformed POM)' "$1" || true)
  [ -n "$line" ] || line=$(grep -m1 -E '^\[ERROR\] .+' "$1" || true)
  line=${line#\[ERROR\] }
  printf '%s' "${line:0:300}"
}

# executable_jars DIR: the jars that Maven built (target/*.jar of the project and of its modules) whose manifest names a
# Main-Class, relative to DIR, one a line; sources, javadoc, test and pre-repackaging ("original-") jars left out
executable_jars() {
  local jar
  (cd "$1" && find . -regextype posix-extended -regex '.*/target/[^/]+\.jar' -not -path './.heroku/*' \
      -not -path '*/node_modules/*' | sed 's#^\./##' | sort) | while IFS= read -r jar; do
    case "$jar" in *-sources.jar|*-javadoc.jar|*-tests.jar|*/original-*|*-plain.jar) continue ;; esac
    unzip -p "$1/$jar" META-INF/MANIFEST.MF 2>/dev/null | grep -qi '^Main-Class:' && echo "$jar"
  done
  return 0
}
