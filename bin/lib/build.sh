# Whether `up` must build the jars: sourced by bin/pier-dev (needs $root and $state). Pure shell and find/stat.

# The jars `up` runs (and the CLI's); the build makes them all.
built_jars() {
  printf '%s\n' "$root/discoverd/target/pier-discoverd-exec.jar" "$root/blobstore/target/pier-blobstore-exec.jar" \
    "$root/controller/target/pier-controller-exec.jar" "$root/host-agent/target/pier-host-agent-exec.jar" \
    "$root/machine/target/pier-machine.jar" "$root/platform/target/pier-platform.jar" \
    "$root/scheduler/target/pier-scheduler-exec.jar" "$root/router/target/pier-router-exec.jar" \
    "$root/git-receiver/target/pier-git-receiver-exec.jar" "$root/cli/target/pier-cli-all.jar" \
    "$root/addon-postgres/target/pier-addon-postgres-exec.jar" "$root/addon-redis/target/pier-addon-redis-exec.jar"
}

# When the jars were last made, as seconds since the epoch: the last build from this state directory, else (a new
# state directory on a built tree) the oldest jar's; nothing when a jar is missing. A jar's own time is no help:
# the build is reproducible (the root pom's project.build.outputTimestamp), so every jar says 2026-01-01 and looked
# older than every source, and `up` on a tree the reactor had just built made every jar again (the e2e suite's
# first `up` spent ~40 s on it). When a file was written is its inode's change time, which nothing sets back.
built_at() {
  local stamp=$state/build.stamp jar at oldest=
  if [ -f "$stamp" ]; then stat -c %.9Y "$stamp"; return; fi
  while read -r jar; do
    [ -f "$jar" ] || return 0
    at=$(stat -c %.9Z "$jar")
    if [ -z "$oldest" ] || [[ ${at/./} < ${oldest/./} ]]; then oldest=$at; fi
  done < <(built_jars)
  echo "$oldest"
}

# The first source that goes into a jar and changed after `built_at`, or nothing. Test sources go into no jar: a
# changed test does not make `up` rebuild (nor does the e2e suite, running up).
changed_source() { # built-at
  find "$root" \( -path "$root/.git" -o -name target -o -path '*/src/test' \) -prune -o \( -name '*.java' \
    -o -name pom.xml -o -name '*.properties' -o -name '*.sql' -o -path '*/src/main/resources/*' \) \
    -newermt "@$1" -print -quit 2>/dev/null || true
}
