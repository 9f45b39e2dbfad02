# Shared by bin/pier-test and bin/pier-dev: make this machine able to build and run Pier.
# Everything comes from the distribution's packages; nothing is downloaded from elsewhere.

PIER_PACKAGES=(postgresql etcd-server docker.io git openssh-client openssh-server openssl curl debootstrap busybox-static
  ca-certificates zstd runuser python3
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
# Go's default lets the heap grow to twice what is live before it collects. Half again instead (GOGC=50): a member
# 50.7 MB against 56.0 beside it, restarted together (docs/benchmarks.md, "A machine after an hour of chaos").
# PIER_ETCD_GOGC overrides it.
etcd_gogc() { echo "GOGC=${PIER_ETCD_GOGC:-50}"; }

# Pier's own etcd (discoverd's store) on 127.0.0.1:${PIER_ETCD_PORT:-2379}, data in ${PIER_ETCD_DATA:-/var/lib/pier/etcd}.
# An etcd already answering there (Pier's or the distribution's) is reused.
ensure_etcd() {
  local port=${PIER_ETCD_PORT:-2379}
  local peer=$((port + 1))
  local dir=${PIER_ETCD_DATA:-/var/lib/pier/etcd}
  local log=${PIER_ETCD_LOG:-/var/log/pier-etcd.log}
  if curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"health":"true"'; then
    echo "etcd is running on 127.0.0.1:$port"
    return
  fi
  command -v etcd >/dev/null || { echo "error: etcd is missing (package etcd-server)" >&2; exit 1; }
  mkdir -p "$dir"
  echo "starting etcd on 127.0.0.1:$port (data: $dir, log: $log)"
  nohup env "$(etcd_gogc)" etcd --name pier --data-dir "$dir" \
    --listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "pier=http://127.0.0.1:$peer" --logger zap --log-level warn >"$log" 2>&1 &
  local i
  for i in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"health":"true"' && { echo "etcd is up"; return; }
    sleep 0.5
  done
  echo "error: etcd did not come up within 30 s; see $log" >&2
  tail -20 "$log" >&2 || true
  exit 1
}
