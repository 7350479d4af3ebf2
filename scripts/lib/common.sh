# Shared by scripts/demo, scripts/test and scripts/bench. Source it; it cds to the repository.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# require_packages PKG... — the Debian packages this step needs. Installs the missing ones with
# apt-get when run as root; otherwise prints the one command to run and stops.
require_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    say "installing ${missing[*]} …"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "extruct-shell needs these Debian packages: ${missing[*]}"
    say "run:  sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
}

# A Python that can make virtual environments (for schemathesis, HTTPie): the one on PATH if it
# can, else Debian's python3-venv.
require_python_venv() {
  python3 -c 'import venv, ensurepip' 2>/dev/null && return 0
  require_packages python3 python3-venv
}

require_swift() {
  command -v swift >/dev/null || die "Swift is not on PATH; install Swift 6.2 or later from https://swift.org/install"
}

# The project's own build, quiet unless it fails.
build() {
  local log
  log="$(mktemp)"
  if ! swift build "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "the build failed (swift build $*)"
  fi
  rm -f "$log"
}

# start_sim LOGFILE ARGS... — starts .build/debug/extruct-sim (or $SIM_BIN) on a free port in the
# background; sets SIM_PID and SIM_URL.
start_sim() {
  local log="$1"; shift
  local bin="${SIM_BIN:-.build/debug/extruct-sim}"
  "$bin" --port 0 "$@" >"$log" 2>"$log.err" &
  SIM_PID=$!
  local deadline=$((SECONDS + 30))
  SIM_URL=""
  while [ -z "$SIM_URL" ]; do
    [ $SECONDS -lt $deadline ] || die "extruct-sim did not start: $(cat "$log.err")"
    kill -0 "$SIM_PID" 2>/dev/null || die "extruct-sim exited: $(cat "$log.err")"
    SIM_URL="$(sed -n 's/^extruct-sim listening on //p' "$log" | head -n 1)"
    [ -n "$SIM_URL" ] || sleep 0.05
  done
}

stop_sim() {
  [ -n "${SIM_PID:-}" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null || true
  SIM_PID=""
}
