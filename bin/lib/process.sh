# Which of the services bin/pier-dev started still run: a service is its PID in $pids/NAME.pid and that process's
# start time in $pids/NAME.started, both written by launch. Needs $pids.

# Whether a PID lives (a zombie, dead but not yet reaped, does not).
alive() { # pid
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || echo X)
  [ "$state" != Z ] && [ "$state" != X ]
}

# When a process started, in clock ticks after boot (/proc/PID/stat's 22nd field, counted after the command name,
# which may hold spaces). With its PID it names one process: PIDs are reused (this box's pid_max is 32768, and the
# PID of a service killed by kill-machine was another process's when restore-machine looked, 90 s later).
started_at() { # pid
  sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'
}

# Whether the service is running: its PID lives and is still the process launch started (a state directory from
# before the start time was kept has none, and goes by the PID alone).
running() { # name
  local f="$pids/$1.pid" pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  alive "$pid" || return 1
  [ ! -s "$pids/$1.started" ] || [ "$(started_at "$pid")" = "$(cat "$pids/$1.started")" ]
}
