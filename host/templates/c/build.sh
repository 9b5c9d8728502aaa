#!/usr/bin/env sh
# Builds {{name}}.wasm: C bindings generated from wit/ by wit-bindgen, the game
# mode compiled for wasm32-wasi as a reactor (a library without main) by Zig's
# clang, which bundles wasi-libc, and made a component by wasm-tools with the
# WASI preview1 adapter (wasi_snapshot_preview1.reactor.wasm), which maps
# libc's I/O and clocks to the WASI 0.2 interfaces the host links.
#
# Needs wit-bindgen-cli 0.46.0 and wasm-tools 1.239.0
# (`cargo install --locked wit-bindgen-cli@0.46.0 wasm-tools@1.239.0`) and
# the ziglang 0.17.0 package of Python (`pip install ziglang==0.17.0`). Set
# WIT_BINDGEN, WASM_TOOLS or PYTHON to use others than those on the PATH.
set -eu
cd "$(dirname "$0")"
WIT_BINDGEN="${WIT_BINDGEN:-wit-bindgen}"
WASM_TOOLS="${WASM_TOOLS:-wasm-tools}"
PYTHON="${PYTHON:-python3}"
mkdir -p build
"$WIT_BINDGEN" c wit --world game-server --out-dir build/bindings
"$PYTHON" -m ziglang cc -target wasm32-wasi -O2 -s -mexec-model=reactor \
    -std=c11 -Wall -Wextra -Werror -I build/bindings -I sdk \
    main.c sdk/gamehost.c build/bindings/game_server.c \
    build/bindings/game_server_component_type.o -o build/{{name}}.core.wasm
"$WASM_TOOLS" component new build/{{name}}.core.wasm \
    --adapt wasi_snapshot_preview1=wasi_snapshot_preview1.reactor.wasm -o {{name}}.wasm
echo "built {{name}}.wasm"
