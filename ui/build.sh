#!/usr/bin/env bash
# Builds Vigil's window (the `vigil-ui` crate) into ui/dist/, which the Tauri app embeds.
#
#   1. compile the crate for wasm32 (release);
#   2. run wasm-bindgen (the CLI's version must equal the `wasm-bindgen` crate's in Cargo.lock;
#      it is installed with `cargo install wasm-bindgen-cli --version X` when it differs);
#   3. copy the static page (index.html, main.js, style.css) beside the generated files.
#
# Result: ui/dist/{index.html, main.js, style.css, vigil-ui.js, vigil-ui_bg.wasm}.
# Honours CARGO_TARGET_DIR (default: target/ at the workspace root). The xtask does the same
# steps in Rust; keep the two in step.
set -euo pipefail

ui_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$ui_dir")"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
dist="$ui_dir/dist"

cd "$root"
# Size over speed for the wasm only: opt-level z, fat LTO and one codegen unit take the wasm
# from about 1.6 MiB to 1.0 MiB. Set here rather than in the workspace's release profile so the
# native binaries keep theirs; a `[profile.wasm-release]` in the root Cargo.toml would do the same.
CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_LTO=fat \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  cargo build -p vigil-ui --target wasm32-unknown-unknown --release

wanted="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
  Cargo.lock)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
if [ "$have" != "$wanted" ]; then
  echo "installing wasm-bindgen-cli $wanted (found: ${have:-none})" >&2
  cargo install wasm-bindgen-cli --version "$wanted"
fi

rm -rf "$dist"
mkdir -p "$dist"
wasm-bindgen --target web --no-typescript --out-dir "$dist" --out-name vigil-ui \
  "$target_dir/wasm32-unknown-unknown/release/vigil-ui.wasm"
cp "$ui_dir/index.html" "$ui_dir/main.js" "$ui_dir/style.css" "$dist/"

echo "built $dist ($(du -k "$dist/vigil-ui_bg.wasm" | cut -f1) KiB of wasm)"
