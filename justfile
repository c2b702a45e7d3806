# Recipes for the workspace. Nothing needs `just`: each recipe is one command
# you can type yourself. `just` alone lists them.

# List the recipes
default:
    @just --list

# Run a chapter, e.g. `just run coroutines --runtime tokio`
run chapter *args:
    cargo run -p {{chapter}} -- {{args}}

# Run every test in the workspace (the solutions, not the unsolved exercises)
test:
    cargo test

# Check one exercise, e.g. `just exercise ch1-countdown`
exercise name:
    cargo test -p {{name}}

# Show a hint for an exercise, one step at a time: `just hint ch1-countdown 2`
hint name step="1":
    cargo run -q -p exercises -- hint {{name}} {{step}}

# Show which exercises pass so far
progress:
    cargo run -q -p exercises -- progress

# Prove every exercise fails as shipped and every solution passes
check-exercises:
    cargo run -q -p exercises -- check

# Build the book into book/book
book:
    mdbook build book

# Check in headless Chromium that no page of the book overflows at 1280 px
# (skips when chromium is missing)
book-check-width:
    python3 .ci/book-check-width

# Serve the book at http://localhost:3000, rebuilding on every change
serve:
    mdbook serve book

# Format all the code
fmt:
    cargo fmt --all

# Run clippy on every crate and target, warnings as errors
lint:
    cargo clippy --workspace --all-targets -- -D warnings

# Benchmark every runtime (several minutes), then write crates/bench/results/
bench:
    cargo bench -p bench
    cargo run --release -p bench --bin report

# Measure chapter 7's concurrency against parallelism and its timer
# lateness, then write crates/07-blocking-offload/results/
measure:
    cargo run --release -p blocking-offload --bin measure

# Install the Python packages some chapters compare with (aiohttp, FastAPI,
# uvicorn, uvloop) from the package index, for your user. Without them, the
# tests that need them say they were skipped, and the benchmarks leave uvloop out.
python-packages:
    python3 -m pip install --user aiohttp fastapi uvicorn uvloop

# Run what CI runs
ci:
    bash .ci/run
