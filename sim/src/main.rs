//! `nanolambda-sim`: run a scenario under one placement policy, or compare
//! all of them on the same scenario and seed.
//!
//! Owns the command line and the output directory layout; the simulation
//! itself is the library (`nanolambda_sim`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use nanolambda_sim::engine::{Engine, PolicyKind, RunResult};
use nanolambda_sim::policy::ALL;
use nanolambda_sim::report;
use nanolambda_sim::scenario::Scenario;
use nanolambda_sim::world::World;

#[derive(Parser)]
#[command(
    name = "nanolambda-sim",
    version,
    about = "Deterministic simulation of nanolambda meshes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario under one policy.
    Run {
        /// Scenario file (TOML).
        scenario: PathBuf,
        /// Seed (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Policy: nanolambda, local, edge, cloud, random, oracle.
        #[arg(long, default_value = "nanolambda")]
        policy: String,
        /// Output directory.
        #[arg(long, default_value = "sim-out")]
        out: PathBuf,
        /// No progress bar and no summary on stdout.
        #[arg(long)]
        quiet: bool,
    },
    /// Run a scenario under every policy with the same seed, and plot.
    Compare {
        /// Scenario file (TOML).
        scenario: PathBuf,
        /// Seed (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Output directory.
        #[arg(long, default_value = "sim-out")]
        out: PathBuf,
        /// No progress bar and no summary on stdout.
        #[arg(long)]
        quiet: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            scenario,
            seed,
            policy,
            out,
            quiet,
        } => {
            let Some(kind) = PolicyKind::parse(&policy) else {
                eprintln!(
                    "error: unknown policy `{policy}` (known: {})",
                    ALL.join(", ")
                );
                return ExitCode::from(2);
            };
            report_errors(run(&scenario, seed, &[kind], &out, quiet, false))
        }
        Command::Compare {
            scenario,
            seed,
            out,
            quiet,
        } => {
            let kinds: Vec<PolicyKind> = ALL.iter().filter_map(|p| PolicyKind::parse(p)).collect();
            report_errors(run(&scenario, seed, &kinds, &out, quiet, true))
        }
    }
}

fn report_errors(r: Result<(), String>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Load a scenario and build its world (profiling every function).
fn load(path: &Path, seed: Option<u64>) -> Result<(World, u64), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let sc = Scenario::parse(&text).map_err(|e| format!("{}:{e}", path.display()))?;
    let seed = seed.unwrap_or(sc.sim.seed);
    let base = path.parent().unwrap_or(Path::new("."));
    let mut profiles = Vec::new();
    for (i, f) in sc.functions.iter().enumerate() {
        let p = nanolambda_sim::cost::profile(f.get_ref(), base, seed, 0xC057 + i as u64)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        profiles.push(p);
    }
    Ok((World::build(&sc, profiles), seed))
}

fn run(
    path: &Path,
    seed: Option<u64>,
    kinds: &[PolicyKind],
    out: &Path,
    quiet: bool,
    compare: bool,
) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{}: {e}", out.display());
    let (world, seed) = load(path, seed)?;
    std::fs::create_dir_all(out).map_err(io)?;
    let mut results: Vec<RunResult> = Vec::new();
    for &kind in kinds {
        let dir = if compare {
            out.join(kind.name())
        } else {
            out.to_path_buf()
        };
        std::fs::create_dir_all(&dir).map_err(io)?;
        let bar = ProgressBar::new(1000);
        if quiet {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        } else if let Ok(style) =
            ProgressStyle::with_template("{prefix:>10} [{bar:40}] {percent:>3}% {elapsed_precise}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(kind.name());
        let started = Instant::now();
        let engine = Engine::new(&world, kind, seed, Some(&dir), Some(&bar)).map_err(io)?;
        let r = engine.run().map_err(io)?;
        bar.finish_and_clear();
        if !quiet {
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "{:>10}: {} events in {:.2} s ({:.0} events/s)",
                kind.name(),
                r.events,
                secs,
                r.events as f64 / secs.max(1e-9)
            );
        }
        results.push(r);
    }
    report::write_summary(out, &results).map_err(io)?;
    report::write_functions(out, &world, &results).map_err(io)?;
    report::write_costs(out, &results).map_err(io)?;
    if compare {
        report::plot_latency_cdf(out, &results).map_err(io)?;
        report::plot_battery(out, &results).map_err(io)?;
        report::plot_energy(out, &results).map_err(io)?;
    }
    if !quiet {
        print_table(&results);
    }
    Ok(())
}

fn print_table(results: &[RunResult]) {
    let oracle = results
        .iter()
        .find(|r| r.policy == "oracle")
        .map(RunResult::mean_cost);
    println!(
        "{:<11} {:>9} {:>7} {:>10} {:>10} {:>10} {:>12} {:>9} {:>10}",
        "policy",
        "completed",
        "failed",
        "mean_ms",
        "p50_ms",
        "p99_ms",
        "sensor_J",
        "depleted",
        "cost_gap%"
    );
    for r in results {
        let v = report::summary_entry(r);
        let gap = oracle.filter(|o| *o > 0.0).map_or("-".to_string(), |o| {
            format!("{:.1}", 100.0 * (r.mean_cost() - o) / o)
        });
        println!(
            "{:<11} {:>9} {:>7} {:>10.2} {:>10.2} {:>10.2} {:>12.3} {:>9} {:>10}",
            r.policy,
            r.completed,
            r.failed,
            v["mean_latency_ms"].as_f64().unwrap_or(0.0),
            v["p50_latency_ms"].as_f64().unwrap_or(0.0),
            v["p99_latency_ms"].as_f64().unwrap_or(0.0),
            r.sensor_energy_j,
            r.nodes_depleted,
            gap
        );
    }
}
