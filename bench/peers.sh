#!/usr/bin/env bash
# fiches against its peers, on the same generated corpus, on this machine.
# Not part of CI. See docs/benchmarks.md for what is measured and how.
#
#   bench/peers.sh                          # 1,000 and 10,000 sheets, 3 runs each
#   bench/peers.sh --sizes 100 --runs 2     # quick check
#   bench/peers.sh --no-serve --tools hugo+pagefind
#
# Every option is passed to bench/run_bench.py (see --help there).
#
# Installs what is missing, by package name only:
#   mdBook    cargo install --locked mdbook           (into ~/.cargo/bin)
#   Hugo      apt-get install hugo                    (Debian's package)
#   Pagefind  npm install pagefind                    (in bench/.peers/npm; the package ships the binary)
#   MkDocs    pip install mkdocs-material             (in the venv bench/.peers/venv)
#   time      apt-get install time                    (/usr/bin/time -v for peak RSS)
#   Zola      only if already on PATH (no Debian, PyPI or npm package)
# Set BENCH_NO_INSTALL=1 to only use what is there.
#
# Runs every build under `nice -n 19` (the machine is shared), measures a
# copy of target/release/fiches (so that a rebuild by someone else during
# the run cannot change the binary under test).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
peers="$here/.peers"
# Corpora and outputs live outside the repository: mdBook's watcher skips
# git-ignored paths, and fiches would read this repository's history.
work="${BENCH_WORK:-/var/tmp/fiches-bench}"
mkdir -p "$peers" "$work"

say() { printf '%s\n' "$*" >&2; }
install_ok() { [ "${BENCH_NO_INSTALL:-0}" != 1 ]; }
apt_updated=0
apt_install() {
  if [ "$(id -u)" != 0 ]; then say "  (not root: apt-get install $* skipped)"; return 1; fi
  if [ $apt_updated = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; apt_updated=1; fi
  # Another apt may hold the lock: wait for it.
  for _ in $(seq 1 60); do
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; then return 0; fi
    sleep 10
  done
  return 1
}

if install_ok; then
  [ -x /usr/bin/time ] || { say "installing time (Debian)"; apt_install time || say "  failed"; }
  command -v hugo >/dev/null || { say "installing hugo (Debian)"; apt_install hugo || say "  failed: Hugo will be skipped"; }
  if ! command -v mdbook >/dev/null && [ ! -x "$HOME/.cargo/bin/mdbook" ]; then
    say "installing mdbook (cargo install --locked mdbook; a few minutes)"
    nice -n 19 cargo install --locked mdbook >"$peers/mdbook-install.log" 2>&1 || say "  failed: mdBook will be skipped (see $peers/mdbook-install.log)"
  fi
  if [ ! -x "$peers/npm/node_modules/.bin/pagefind" ] && ! command -v pagefind >/dev/null; then
    if command -v npm >/dev/null; then
      say "installing pagefind (npm, in $peers/npm)"
      mkdir -p "$peers/npm"
      ( cd "$peers/npm" && { [ -f package.json ] || npm init -y >/dev/null; } && nice -n 19 npm install --no-audit --no-fund pagefind >/dev/null 2>&1 ) || say "  failed: Pagefind will be skipped"
    else
      say "npm missing: Pagefind will be skipped"
    fi
  fi
  if [ ! -x "$peers/venv/bin/mkdocs" ] && ! command -v mkdocs >/dev/null; then
    say "installing mkdocs-material (pip, in $peers/venv)"
    ( python3 -m venv "$peers/venv" && nice -n 19 "$peers/venv/bin/pip" install -q mkdocs-material ) >/dev/null 2>&1 || say "  failed: MkDocs will be skipped"
  fi
fi
command -v zola >/dev/null || say "Zola: not on PATH and not installable by package name here: skipped"
command -v node >/dev/null || say "node missing: first-query bytes will not be measured"

# The binary under test: a copy of a release build of this tree.
say "building fiches (cargo build --release)"
( cd "$repo" && nice -n 19 cargo build --release --quiet )
rev="$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(cd "$repo" && git status --porcelain -- src crates themes Cargo.toml 2>/dev/null | head -1)"
[ -n "$dirty" ] && rev="$rev-dirty"
bin="$work/fiches-$rev"
cp "$repo/target/release/fiches" "$bin"
say "fiches under test: $bin"

export PATH="$PATH:$HOME/.cargo/bin"
exec python3 "$here/run_bench.py" --fiches "$bin" --work "$work" --peers-dir "$peers" "$@"
