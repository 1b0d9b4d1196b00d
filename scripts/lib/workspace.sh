# Finds (or creates) the Zephyr workspace the scripts build with, and sets up its environment.
# Sourced by scripts/run and scripts/test. Defines: REPO, ZEPHYR_BASE, WS (workspace top).
#
# Order: $ZEPHYR_BASE if set; else ~/zephyrproject/zephyr (Zephyr's getting-started default);
# else create ~/zephyrproject the standard way (west init -m <this repo> + west update, Zephyr's
# Python requirements, the Rust targets), which needs network access to GitHub.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

say() { printf '[zephyr-asyncio] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

create_workspace() {
  local ws=$1 url
  url=$(git -C "$REPO" remote get-url origin 2>/dev/null || echo "$REPO")
  say "no Zephyr workspace found: creating $ws from the manifest in $url (west init + west update)"
  command -v west >/dev/null || python3 -m pip install --quiet west ||
    die "cannot install west (pip failed)"
  west init -m "$url" "$ws" && (cd "$ws" && west update) || die "could not create the workspace.
  west init/update needs network access to github.com. Create a workspace by hand (see README:
  'Setting up a workspace') and point ZEPHYR_BASE at its zephyr/ directory."
  python3 -m pip install --quiet -r "$ws/zephyr/scripts/requirements.txt" ||
    die "could not install Zephyr's Python requirements"
  rustup target add x86_64-unknown-none thumbv7m-none-eabi >/dev/null ||
    die "could not add the Rust targets (rustup target add x86_64-unknown-none thumbv7m-none-eabi)"
}

if [[ -z ${ZEPHYR_BASE:-} ]]; then
  if [[ -f $HOME/zephyrproject/env.sh ]]; then
    # shellcheck disable=SC1091
    source "$HOME/zephyrproject/env.sh"
  elif [[ -d $HOME/zephyrproject/zephyr ]]; then
    export ZEPHYR_BASE=$HOME/zephyrproject/zephyr
  else
    create_workspace "$HOME/zephyrproject"
    export ZEPHYR_BASE=$HOME/zephyrproject/zephyr
  fi
fi
[[ -f $ZEPHYR_BASE/VERSION ]] || die "ZEPHYR_BASE=$ZEPHYR_BASE is not a Zephyr tree"
WS=$(dirname "$ZEPHYR_BASE")
export ZEPHYR_BASE
# native_sim builds with the host compiler; no Zephyr SDK needed.
export ZEPHYR_TOOLCHAIN_VARIANT=${ZEPHYR_TOOLCHAIN_VARIANT:-host}
command -v west >/dev/null || die "west is not installed (python3 -m pip install west)"
command -v cargo >/dev/null || die "cargo is not installed (https://rustup.rs)"
[[ -d $WS/modules/lang/rust ]] || die "$WS has no zephyr-lang-rust (modules/lang/rust):
  enable Zephyr's optional group (west config manifest.group-filter -- +optional; west update)"
