//! Shared helpers for nanolambda's benchmarks (see `benches/` and `src/bin/`).
