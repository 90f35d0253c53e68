#!/usr/bin/env bash
# Builds the files of a fiches release, for those who do not compile it:
#   fiches-linux-x86_64        static Linux binary (musl): any distribution,
#                              a bare CI image, nothing else to install;
#   fiches-windows-x86_64.exe  Windows executable (mingw), no DLL to bring;
#   SHA256SUMS                 their checksums (`sha256sum -c SHA256SUMS`);
#   VERSION                    the `fiches --version` line (commit, build day).
# in target/release-files/ (or $FICHES_DIST_DIR), with the `dist` profile of
# Cargo.toml (LTO, stripped, no debug info).
#
# It first installs what it needs and is missing, by name: the Rust targets
# (rustup target add x86_64-unknown-linux-musl x86_64-pc-windows-gnu) and
# Debian's musl-tools and gcc-mingw-w64-x86-64 (as root, or with sudo).
# Then it checks what it built:
#   - the Linux binary is static, and copied alone into an empty folder
#     outside the repository it builds and checks the demo site, and a site
#     made by `fiches init`;
#   - the Windows executable's PE header and import table (tests/release.rs,
#     with the `object` crate): x86-64 console program, only DLLs that
#     Windows ships, under 15 MB;
#   - the Windows executable run under Wine (tests/release.rs): --version,
#     check and build of the demo site given `Z:\…` paths, the same files,
#     byte for byte, as the Linux binary's build;
#   - the CI templates of `fiches init`, run against the demo site with the
#     Linux binary served as a release (tests/scaffold.rs).
#
# Publishing (by hand, with a token): upload the four files as the assets of
# the release `v<version>`, e.g. to the project's generic package registry:
#   for f in target/release-files/*; do curl --fail -H "PRIVATE-TOKEN: $TOKEN" \
#     --upload-file "$f" "$API/projects/$ID/packages/generic/fiches/<version>/${f##*/}"; done
# The CI templates download `$FICHES_DOWNLOAD/<file>`: see docs/new-site.md.
#
# Environment: SKIP_INSTALL=1 never installs anything; TARGETS="linux
# windows" (default both); FICHES_DIST_DIR; SOURCE_DATE_EPOCH (build day);
# SKIP_CHECKS=1 skips the checks after the build; SKIP_WINE=1 neither
# installs Wine (Debian's wine64, about 670 MB) nor requires it: the Wine
# run is then reported as skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
start=$(date +%s)
dist="${FICHES_DIST_DIR:-$repo/target/release-files}"
targets="${TARGETS:-linux windows}"

fail() {
  echo "error: $*" >&2
  exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }
triple() { case "$1" in linux) echo x86_64-unknown-linux-musl ;; windows) echo x86_64-pc-windows-gnu ;; *) fail "unknown target '$1' (linux, windows)" ;; esac; }
asset() { case "$1" in linux) echo fiches-linux-x86_64 ;; windows) echo fiches-windows-x86_64.exe ;; esac; }
rust_has_target() {
  local sysroot
  sysroot=$(rustc --print sysroot)
  [ -d "$sysroot/lib/rustlib/$1/lib" ]
}

have cargo || fail "cargo not found: install Rust (https://rustup.rs) first"

# -- what is needed ---------------------------------------------------------
echo "== checking the toolchain ($(rustc --version))"
need_rust=()
need_apt=()
for t in $targets; do
  tr=$(triple "$t")
  rust_has_target "$tr" || need_rust+=("$tr")
  case "$t" in
    linux) have musl-gcc || need_apt+=(musl-tools) ;;
    windows)
      have x86_64-w64-mingw32-gcc || need_apt+=(gcc-mingw-w64-x86-64)
      # Debian's wine64 lives outside PATH.
      if [ "${SKIP_WINE:-0}" != 1 ] && ! have wine64 && ! have wine && [ ! -x /usr/lib/wine/wine64 ]; then
        need_apt+=(wine64)
      fi
      ;;
  esac
done
if [ "${#need_rust[@]}" -gt 0 ]; then
  if [ "${SKIP_INSTALL:-0}" = 1 ]; then
    fail "Rust standard library missing for ${need_rust[*]} (SKIP_INSTALL=1): run rustup target add ${need_rust[*]}"
  fi
  have rustup || fail "Rust standard library missing for ${need_rust[*]}, and no rustup to add it: install Rust with rustup (https://rustup.rs), or your distribution's rust-std for these targets, of the same version as $(rustc --version)"
  echo "== rustup target add ${need_rust[*]}"
  if ! rustup target add "${need_rust[@]}"; then
    fail "rustup could not add ${need_rust[*]} (is its download server reachable from this machine?). Without them no release can be built; on a machine that can, run: rustup target add ${need_rust[*]}"
  fi
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
  [ "${SKIP_INSTALL:-0}" = 1 ] && fail "missing ${need_apt[*]} (SKIP_INSTALL=1)"
  have apt-get || fail "missing ${need_apt[*]}: install the musl C compiler (musl-gcc) and the MinGW-w64 x86-64 C compiler with your package manager"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif have sudo; then sudo=(sudo); else
    fail "missing ${need_apt[*]}, and not root to install them"
  fi
  echo "== installing: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt-get rather than fail.
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# -- build --------------------------------------------------------------------
# The version line: the commit (build.rs) and today's date, the same for both.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(date +%s)}"
if [ -z "${FICHES_COMMIT:-}" ] && git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
  commit=$(git -C "$repo" rev-parse --short=10 HEAD)
  git -C "$repo" diff --quiet HEAD -- 2>/dev/null || commit="$commit-modifié"
  export FICHES_COMMIT="$commit"
fi
# C code (zstd) is compiled for the target, with its C compiler.
export CC_x86_64_unknown_linux_musl=musl-gcc
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
# A static binary: the C runtime inside (the default for musl, said anyway).
export CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="-C target-feature=+crt-static"

mkdir -p "$dist"
# Only the files this script writes: $FICHES_DIST_DIR may hold others.
(cd "$dist" && rm -f fiches-linux-x86_64 fiches-windows-x86_64.exe SHA256SUMS VERSION)
# Both targets in one cargo run: the build scripts and macros are shared.
target_args=()
for t in $targets; do target_args+=(--target "$(triple "$t")"); done
echo "== cargo build --profile dist ${target_args[*]}"
t0=$(date +%s)
cargo build --locked --profile dist "${target_args[@]}" --bin fiches
echo "   built in $(( $(date +%s) - t0 )) s"
for t in $targets; do
  exe=fiches
  [ "$t" = windows ] && exe=fiches.exe
  cp "${CARGO_TARGET_DIR:-target}/$(triple "$t")/dist/$exe" "$dist/$(asset "$t")"
  echo "   $(asset "$t"): $(stat -c %s "$dist/$(asset "$t")") bytes"
done
files=()
for t in $targets; do files+=("$(asset "$t")"); done
(cd "$dist" && sha256sum -- "${files[@]}" > SHA256SUMS && cat SHA256SUMS)

# -- checks -------------------------------------------------------------------
if [[ " $targets " == *" linux "* ]]; then
  bin="$dist/$(asset linux)"
  "$bin" --version | tee "$dist/VERSION"
  grep -q "${FICHES_COMMIT:-inconnu}" "$dist/VERSION" || fail "the version line lacks the commit ${FICHES_COMMIT:-}"
fi
if [ "${SKIP_CHECKS:-0}" = 1 ]; then
  echo "== SKIP_CHECKS=1: not checked"
  exit 0
fi
if [[ " $targets " == *" linux "* ]]; then
  echo "== the Linux binary is static and runs alone"
  if readelf -lW "$bin" | grep -q "INTERP" || readelf -dW "$bin" | grep -q "(NEEDED)"; then
    readelf -dW "$bin" | grep NEEDED >&2 || true
    fail "$bin is not static"
  fi
  alone=$(mktemp -d)
  trap 'rm -rf "$alone"' EXIT
  cp "$bin" "$alone/fiches"
  (
    cd "$alone"
    # No PATH, no HOME: nothing from this machine but the binary.
    run() { env -i FICHES_CACHE_DIR="$alone/cache" ./fiches "$@"; }
    run --version
    run --root "$repo" check
    run --root "$repo" build --quiet --output "$alone/demo"
    [ -f "$alone/demo/index.html" ] || fail "demo site not built"
    run init "$alone/nouveau-site" >/dev/null 2>&1
    run --root "$alone/nouveau-site" check --strict
    run --root "$alone/nouveau-site" build --quiet --output "$alone/nouveau-public"
    [ -f "$alone/nouveau-public/index.html" ] || fail "new site not built"
  ) || fail "the static binary does not build the demo site on its own"
  echo "   ok: demo site built and checked by $(basename "$bin") alone in $alone"
fi
echo "== tests/release.rs (PE imports of the Windows executable, its run under Wine) and tests/scaffold.rs (CI templates)"
# --nocapture: the DLL list, the Wine run or why it was skipped.
require_wine=1
[ "${SKIP_WINE:-0}" = 1 ] && require_wine=0
# Without the Windows executable, only the tests of the Linux files.
filter=()
[[ " $targets " == *" windows "* ]] || filter=(linux_binary the_dll_check)
FICHES_DIST_DIR="$dist" FICHES_REQUIRE_WINE=$require_wine \
  cargo test --release --locked --test release -- --nocapture --test-threads=1 "${filter[@]}"
FICHES_DIST_DIR="$dist" cargo test --release --locked --test scaffold
echo "== release files in $dist ($(( $(date +%s) - start )) s):"
ls -l "$dist"
