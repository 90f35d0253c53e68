#!/usr/bin/env bash
# The project's test command. On a fresh Debian machine (as root, or with
# sudo) it first installs what the tests need and is missing: Chromium and
# nginx for the browser tests, poppler-utils (pdftoppm, pdfinfo, pdftotext)
# and zbar-tools (zbarimg) to check printed sheets and their QR codes, DejaVu
# fonts, Node.js; then the npm packages of tests/browser (playwright-core,
# axe-core; no browser is downloaded). Then one release build shared by all
# tests: `cargo test --release --workspace`, and the browser tests with
# `node --test tests/browser/`. Exits non-zero when anything failed.
#
# The tests carry their own fixtures (tests/fixtures/); when the shared
# corpus is present they run on it too.
# Environment: FICHES_SHARED (default ../shared, the shared corpus),
# SKIP_INSTALL=1 to never install anything.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
start=$(date +%s)

missing=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
have chromium || missing+=(chromium)
have nginx || missing+=(nginx)
have pdftoppm || missing+=(poppler-utils)
have zbarimg || missing+=(zbar-tools)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
have node || missing+=(nodejs)
have npm || missing+=(npm)
# The CI templates' commands download a release (tests/scaffold.rs).
have wget || missing+=(wget)
have curl || missing+=(curl)
# LibreOffice produces the .odt/.docx fixtures of tests/import.rs; pandoc is its yardstick.
have soffice || missing+=(libreoffice-writer-nogui)
have pandoc || missing+=(pandoc)
if [ "${#missing[@]}" -gt 0 ] && [ "${SKIP_INSTALL:-0}" != 1 ]; then
  echo "== installing: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    echo "error: missing ${missing[*]}, and not root to install them" >&2; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== npm ci (tests/browser)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

echo "== cargo fmt --check, cargo clippy -D warnings"
cargo fmt --all -- --check
cargo clippy --release --workspace --all-targets --quiet -- -D warnings

echo "== cargo build --release"
cargo build --release --workspace

# The tests run on the repository's own fixtures (tests/fixtures/), and
# also on the shared corpus when it is there (as in CI); say which.
shared="${FICHES_SHARED:-../shared}"
if [ -d "$shared/corpus" ]; then
  export FICHES_SHARED="$(cd "$shared" && pwd)"
  echo "== shared corpus found at $FICHES_SHARED: tests run on tests/fixtures/ and on it"
else
  echo "== shared corpus not found at $shared: tests run on tests/fixtures/ only (set FICHES_SHARED to add it)"
fi

status=0
echo "== cargo test --release --workspace"
cargo test --release --workspace --no-fail-fast || status=1

echo "== node --test tests/browser/"
FICHES_BIN="$PWD/target/release/fiches" node --test tests/browser/ || status=1

echo "== tests done in $(( $(date +%s) - start )) s; screenshots and printed sheets in target/screenshots/"
exit "$status"
