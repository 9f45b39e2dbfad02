# Shared by bin/pier-test and bin/pier-dev: make this machine able to build and run Pier.
# Everything comes from the distribution's packages; nothing is downloaded from elsewhere.

PIER_PACKAGES=(postgresql etcd-server docker.io git openssh-client openssh-server openssl curl debootstrap busybox-static
  ca-certificates zstd runuser python3 iproute2 iptables # iproute2 and iptables: the machines (bin/lib/machines.sh)
  prometheus chromium chromium-driver) # promtool and a Prometheus for the metrics tests; the dashboard's browser test

step() { printf '\n==> %s\n' "$*"; }

missing_packages() {
  local p
  for p in "${PIER_PACKAGES[@]}"; do
    [ "$p" = runuser ] && { command -v runuser >/dev/null || echo util-linux; continue; }
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

ensure_packages() {
  local missing
  missing=$(missing_packages | sort -u | tr '\n' ' ')
  if [ -z "${missing// /}" ]; then
    echo "all present: ${PIER_PACKAGES[*]}"
    return
  fi
  echo "installing: $missing"
  if [ "$(id -u)" != 0 ]; then
    echo "error: packages are missing ($missing) and only root can install them" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $missing
  # The distribution's etcd service would take port 2379; Pier runs its own etcd.
  if command -v systemctl >/dev/null && systemctl is-active --quiet etcd 2>/dev/null; then
    systemctl stop etcd || true
  fi
  # Nor does it need the distribution's Prometheus service: the metrics test starts a Prometheus of its own.
  if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
    systemctl stop prometheus || true
  fi
}

ensure_dockerd() {
  if docker info >/dev/null 2>&1; then
    echo "Docker engine is running"
    return
  fi
  local log=${PIER_DOCKERD_LOG:-/var/log/pier-dockerd.log}
  echo "starting dockerd (log: $log)"
  nohup dockerd >"$log" 2>&1 &
  local i
  for i in $(seq 1 60); do
    docker info >/dev/null 2>&1 && { echo "Docker engine is up"; return; }
    sleep 1
  done
  echo "error: dockerd did not come up within 60 s; see $log" >&2
  tail -20 "$log" >&2 || true
  exit 1
}

# etcd's Go heap: Pier's etcd holds a few dozen keys, yet keeps some 21 MB live (raft, its WAL's buffers, gRPC), and
# Go's default lets the heap grow to twice what is live before it collects. A quarter more instead (GOGC=25). At 50:
# a member 50.7 MB against 56.0 beside it at Go's 100, restarted together (docs/benchmarks.md, "A machine after an
# hour of chaos"); the member that had run an hour of the chaos suite 53-54 MB, with 22 MB live and its next
# collection at 32 (`/debug/vars`), using 3 % of a core, its collections pausing it 0.05 ms a second: collecting
# twice as often costs it little. PIER_ETCD_GOGC overrides it.
etcd_gogc() { echo "GOGC=${PIER_ETCD_GOGC:-25}"; }

# What every Pier etcd member keeps, bounded. Its keys are few, but they change all the time (every registration,
# every lease, every election), and etcd 3.4 keeps by default each change twice: in raft's log in memory until a
# snapshot every 100,000 entries, and in its key history until someone compacts it, which nobody did. After 30,000
# small writes to a 3-member cluster a member held 83-88 MB, 44 before; one with a snapshot every 5,000 entries 71
# (docs/benchmarks.md, "etcd under churn"). So: a snapshot every 5,000 entries, the history of the last 5 minutes.
# discoverd's mirror watches from the revision it loaded and reloads when its history was compacted
# (discoverd/…/watch/Mirror.java); elections and fences read current keys only.
etcd_bounds() {
  printf '%s\n' --snapshot-count 5000 --auto-compaction-mode periodic --auto-compaction-retention 5m
}
