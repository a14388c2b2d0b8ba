//! `sim_calibrate`: measure how many VM instructions per second this host
//! runs on the scenario functions (the figure behind
//! `model::HOST_VM_INSTR_PER_S`). Wall-clock timing: a benchmark, never
//! used by a simulation run.
//!
//! Usage: `sim_calibrate [SCENARIO.toml]` (default `sim/scenarios/farm.toml`).

use std::path::PathBuf;
use std::time::Instant;

use nanolambda_sim::cost;
use nanolambda_sim::scenario::Scenario;

fn main() -> Result<(), String> {
    let path = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("sim/scenarios/farm.toml"), PathBuf::from);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let sc = Scenario::parse(&text).map_err(|e| format!("{}:{e}", path.display()))?;
    let base = path.parent().map(PathBuf::from).unwrap_or_default();
    let (mut fuel, mut secs) = (0u64, 0f64);
    for f in &sc.functions {
        // Profile repeatedly until a second has passed for this function.
        let started = Instant::now();
        let mut runs = 0u64;
        let mut fn_fuel = 0u64;
        while started.elapsed().as_secs_f64() < 1.0 {
            let p = cost::profile(f.get_ref(), &base, 1, runs).map_err(|e| e.to_string())?;
            fn_fuel += p.samples.iter().map(|s| s.fuel).sum::<u64>();
            runs += 1;
        }
        let s = started.elapsed().as_secs_f64();
        println!(
            "{:<20} {:>10.0} instr/invocation {:>8.1} M instr/s (compile + {} samples per profile, {runs} profiles)",
            f.get_ref().name,
            fn_fuel as f64 / (runs * cost::SAMPLES as u64) as f64,
            fn_fuel as f64 / s / 1e6,
            cost::SAMPLES
        );
        fuel += fn_fuel;
        secs += s;
    }
    println!(
        "all functions: {:.1} M VM instructions/s",
        fuel as f64 / secs / 1e6
    );
    Ok(())
}
