//! MD5 throughput on this CPU, the bound of a large PutObject: its ETag is
//! the MD5 of the body, computed while the body streams to disk (on a
//! thread of its own, `Md5Lane` in `mesh/src/s3/body.rs`), so no PUT can be
//! faster than one core hashes. Hashes `--mib` MiB (default 256) in 1 MiB
//! updates with the `md-5` crate the node uses, `--rounds` times (default
//! 3), and prints the best and the median rate, by wall-clock time and by
//! the thread's on-CPU time (`/proc/thread-self/schedstat`; what
//! `openssl speed` divides by unless given `-elapsed`), so that other load
//! on a shared machine shows as the gap between the two. Build with `--features
//! md5-asm` for the crate's assembly back end. Compare with
//! `openssl speed -evp md5 -bytes 1048576` and the raw disk rate of
//! `benches/s3_bench.sh` (see `benches/md5_bound.sh`).

use std::time::Instant;

use md5::{Digest, Md5};

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Nanoseconds this thread has run on a CPU (Linux), if readable.
fn cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

fn best_and_median(v: &mut [f64]) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let best = v.last().copied().unwrap_or(0.0);
    (best, v.get(v.len() / 2).copied().unwrap_or(0.0))
}

fn main() {
    let mib = arg("--mib", 256).max(1);
    let rounds = arg("--rounds", 3).max(1);
    // Not all zeros, not compressible by any trick: a simple LCG.
    let mut chunk = vec![0u8; 1 << 20];
    let mut x: u32 = 0x1234_5678;
    for b in &mut chunk {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        *b = (x >> 24) as u8;
    }
    let mut rates = Vec::with_capacity(rounds);
    let mut cpu_rates = Vec::with_capacity(rounds);
    let mut digest = String::new();
    for _ in 0..rounds {
        let start = Instant::now();
        let cpu_start = cpu_ns();
        let mut h = Md5::new();
        for _ in 0..mib {
            h.update(&chunk);
        }
        let d = h.finalize();
        let secs = start.elapsed().as_secs_f64();
        rates.push(mib as f64 / secs);
        if let (Some(a), Some(b)) = (cpu_start, cpu_ns())
            && b > a
        {
            cpu_rates.push(mib as f64 / ((b - a) as f64 / 1e9));
        }
        digest = d.iter().map(|b| format!("{b:02x}")).collect();
    }
    let (best, median) = best_and_median(&mut rates);
    let (cpu_best, cpu_median) = best_and_median(&mut cpu_rates);
    let backend = if cfg!(feature = "md5-asm") {
        "md-5 asm"
    } else {
        "md-5 soft"
    };
    println!(
        "{{\"backend\": \"{backend}\", \"mib\": {mib}, \"rounds\": {rounds}, \
         \"best_mib_s\": {best:.0}, \"median_mib_s\": {median:.0}, \
         \"cpu_best_mib_s\": {cpu_best:.0}, \"cpu_median_mib_s\": {cpu_median:.0}, \
         \"md5\": \"{digest}\"}}"
    );
}
