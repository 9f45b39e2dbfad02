# Which of the services bin/pier-dev started still run: a service is its PID in $pids/NAME.pid and that process's
# start time in $pids/NAME.started, both written by launch. Needs $pids.
# alive, started_at and running use shell builtins only: each machine's supervisor asks them of every service of its
# machine twice a second, and the commands they once ran for that (cat and awk, then sed too, several processes a
# service each time) took a share of two cores that the services themselves lacked.

# The fields of /proc/PID/stat after the command name (in parentheses, which may hold spaces and parentheses):
# state first, the start time 20th. Fails when the process is gone.
proc_stat_fields() { # pid → array proc_stat
  local line
  { read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
  read -ra proc_stat <<<"${line##*) }"
}

# Whether a PID lives (a zombie, dead but not yet reaped, does not).
alive() { # pid
  local proc_stat
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null && proc_stat_fields "$1" || return 1
  [ "${proc_stat[0]}" != Z ] && [ "${proc_stat[0]}" != X ]
}

# When a process started, in clock ticks after boot (/proc/PID/stat's 22nd field). With its PID it names one
# process: PIDs are reused (this box's pid_max is 32768, and the PID of a service killed by kill-machine was
# another process's by the time restore-machine looked, after the chaos suite's deploy).
started_at() { # pid
  local proc_stat
  proc_stat_fields "$1" && echo "${proc_stat[19]}"
}

# Whether the service is running: its PID lives and is still the process launch started (a state directory from
# before the start time was kept has none, and goes by the PID alone).
running() { # name
  local pid= started= proc_stat
  { read -r pid <"$pids/$1.pid"; } 2>/dev/null || return 1
  alive "$pid" || return 1
  { read -r started <"$pids/$1.started"; } 2>/dev/null || true
  [ -z "$started" ] || { proc_stat_fields "$pid" && [ "${proc_stat[19]}" = "$started" ]; }
}

# The resident memory of some processes together, in kB (a process gone counts 0): the benchmarks' footprint tables.
rss_kb() { # pid...
  local p total=0 kb
  for p in "$@"; do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}
