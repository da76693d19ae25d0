#!/usr/bin/env bash
# Release artefacts in dist/ (gitignored), from one command:
#
#   dist/uvtool-VERSION-x86_64-unknown-linux-gnu.tar.gz (+ .sha256)
#       a static Linux x86_64 binary, README.md, CHANGELOG.md and the licences
#   dist/uvtool-VERSION-aarch64-unknown-linux-gnu.tar.gz (+ .sha256)
#       the same for Linux arm64, when a cross C compiler is installed
#       (Debian: apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross);
#       skipped with a message otherwise, or with UVTOOL_RELEASE_AARCH64=0
#   dist/uvtool-VERSION.tgz, dist/uvtool-linux-x64-VERSION.tgz (+ linux-arm64)
#       the npm packages (npm pack): `uvtool`, whose bin runs the binary of the
#       platform package that npm installed from its optionalDependencies
#
# Nothing is published. The binaries are static (glibc linked in), so they
# run on any Linux of that architecture, musl-based ones included; the
# script fails if a binary it built is not static.
#
# Both binaries are built by scripts/build-static.sh: `--target TRIPLE` with
# `-C target-feature=+crt-static` (rustc's own static-pie link; aarch64 with
# the cross gcc as linker). That script fails rather than fall back to a
# dynamic link, and this one checks the result again with `file` and `ldd`.
#
# CARGO_TARGET_DIR is honoured; SKIP_BUILD=1 packs the binaries of an earlier
# run again; UVTOOL_RELEASE_BIN=PATH packs that x86_64 binary (e.g. a debug
# build, to test the npm packages quickly) and builds nothing; NPM_ONLY=1
# writes only the npm tarballs; DIST=folder writes elsewhere than dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIST=${DIST:-$ROOT/dist}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
[ -n "$VERSION" ] || { echo "release: no version in Cargo.toml" >&2; exit 2; }
mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/uvtool-release.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT

say() { echo "== $*"; }

# A static executable: `file` says so and the dynamic loader has nothing to load.
check_static() {
  local bin=$1 desc
  desc=$(file -b "$bin")
  echo "   file: $desc"
  case "$desc" in
    *"static-pie linked"* | *"statically linked"*) ;;
    *) echo "release: $bin is not statically linked" >&2; return 1 ;;
  esac
  if [ "$(uname -m)" = x86_64 ] && [[ "$desc" == *x86-64* ]]; then
    # ldd prints "statically linked" (or "not a dynamic executable") and
    # exits 1 for a static binary.
    local l
    l=$(ldd "$bin" 2>&1 || true)
    echo "   ldd: $l"
    case "$l" in
      *"statically linked"* | *"not a dynamic executable"*) ;;
      *) echo "release: ldd finds shared libraries in $bin" >&2; return 1 ;;
    esac
  fi
}

# stripped BINARY STRIP: a copy without the symbol table (the build keeps
# it, for profilers); prints the copy's path.
stripped() {
  local out
  out="$STAGE/stripped-$(basename "$(dirname "$(dirname "$1")")")-$(basename "$(dirname "$1")")"
  cp "$1" "$out"
  if command -v "$2" >/dev/null 2>&1; then
    "$2" --strip-all "$out"
  else
    echo "   ($2 missing: the binary keeps its symbols)" >&2
  fi
  echo "$out"
}

# pack TRIPLE BINARY: the archive and its checksum.
pack() {
  local triple=$1 bin=$2 name="uvtool-$VERSION-$1"
  rm -rf "${STAGE:?}/$name"
  mkdir -p "$STAGE/$name"
  cp "$bin" "$STAGE/$name/uvtool"
  cp README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE "$STAGE/$name/"
  # Reproducible archive: sorted names, fixed owner and the commit's time.
  local mtime
  mtime=$(git log -1 --format=%ct 2>/dev/null || echo 0)
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" \
    -C "$STAGE" -cf - "$name" | gzip -9n >"$DIST/$name.tar.gz"
  (cd "$DIST" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
  echo "   $DIST/$name.tar.gz ($(stat -c %s "$DIST/$name.tar.gz") bytes)"
}

# npm_platform NPM_DIR BINARY: the platform package's tarball.
npm_platform() {
  local dir=$1 bin=$2 stage="$STAGE/npm-$1"
  rm -rf "$stage"
  cp -r "npm/$dir" "$stage"
  mkdir -p "$stage/bin"
  cp "$bin" "$stage/bin/uvtool"
  chmod 755 "$stage/bin/uvtool"
  cp LICENSE-MIT LICENSE-APACHE "$stage/"
  set_npm_version "$stage/package.json"
  (cd "$stage" && npm pack --silent --pack-destination "$DIST" >/dev/null)
}

# The npm packages carry the crate's version (and the main package asks for
# its platform packages at exactly that version).
set_npm_version() {
  node -e '
    const fs = require("fs");
    const [file, version] = process.argv.slice(1);
    const p = JSON.parse(fs.readFileSync(file, "utf8"));
    p.version = version;
    for (const d of Object.keys(p.optionalDependencies || {})) p.optionalDependencies[d] = version;
    fs.writeFileSync(file, JSON.stringify(p, null, 2) + "\n");
  ' "$1" "$VERSION"
}

say "uvtool $VERSION"

# --- x86_64 ---------------------------------------------------------------
X86=${UVTOOL_RELEASE_BIN:-$TARGET_DIR/x86_64-unknown-linux-gnu/release/uvtool}
if [ -n "${UVTOOL_RELEASE_BIN:-}" ]; then
  SKIP_BUILD=1
  UVTOOL_RELEASE_AARCH64=0
elif [ "${SKIP_BUILD:-0}" != 1 ]; then
  say "scripts/build-static.sh (x86_64-unknown-linux-gnu)"
  X86=$(scripts/build-static.sh x86_64-unknown-linux-gnu)
fi
if [ -n "${UVTOOL_RELEASE_BIN:-}" ]; then
  # A binary given by hand (scripts/test.sh packs the debug build, which is
  # dynamic, to test the npm packages): packed as it is.
  echo "   $X86: given by UVTOOL_RELEASE_BIN, packed without the static check"
else
  check_static "$X86"
fi
X86=$(stripped "$X86" strip)
"$X86" --version
[ "${NPM_ONLY:-0}" = 1 ] || pack x86_64-unknown-linux-gnu "$X86"

# --- aarch64 ----------------------------------------------------------------
A64=
if [ "${UVTOOL_RELEASE_AARCH64:-1}" = 0 ]; then
  say "aarch64: skipped (UVTOOL_RELEASE_AARCH64=0)"
elif ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
  say "aarch64: skipped: no aarch64-linux-gnu-gcc (Debian: apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross)"
elif ! rustup target list --installed 2>/dev/null | grep -qx aarch64-unknown-linux-gnu &&
  ! rustup target add aarch64-unknown-linux-gnu; then
  say "aarch64: skipped: the Rust target aarch64-unknown-linux-gnu cannot be added"
else
  A64=$TARGET_DIR/aarch64-unknown-linux-gnu/release/uvtool
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    say "scripts/build-static.sh aarch64-unknown-linux-gnu"
    CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
      CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc \
      AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar \
      scripts/build-static.sh aarch64-unknown-linux-gnu >/dev/null
  fi
  check_static "$A64"
  A64=$(stripped "$A64" aarch64-linux-gnu-strip)
  pack aarch64-unknown-linux-gnu "$A64"
fi

# --- npm ---------------------------------------------------------------------
if ! command -v npm >/dev/null 2>&1; then
  say "npm packages: skipped (no npm)"
else
  say "npm packages"
  npm_platform linux-x64 "$X86"
  if [ -n "$A64" ]; then
    npm_platform linux-arm64 "$A64"
  fi
  main="$STAGE/npm-uvtool"
  rm -rf "$main"
  cp -r npm/uvtool "$main"
  cp LICENSE-MIT LICENSE-APACHE "$main/"
  if [ -z "$A64" ]; then
    # No arm64 binary in this run: the main package does not ask for one.
    node -e '
      const fs = require("fs"); const f = process.argv[1];
      const p = JSON.parse(fs.readFileSync(f, "utf8"));
      delete p.optionalDependencies["@uvtool/linux-arm64"];
      fs.writeFileSync(f, JSON.stringify(p, null, 2) + "\n");
    ' "$main/package.json"
  fi
  set_npm_version "$main/package.json"
  (cd "$main" && npm pack --silent --pack-destination "$DIST" >/dev/null)
fi

say "dist/"
for f in "$DIST"/uvtool-*"$VERSION"*; do
  echo "   $(stat -c %s "$f")	$(basename "$f")"
done
