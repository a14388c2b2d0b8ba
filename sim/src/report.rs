//! Outputs that summarise runs: `summary.json`, `functions.csv`,
//! `costs.json` and the SVG plots of `compare`.
//!
//! Owns file formats only: it reads finished [`RunResult`]s and never runs
//! anything. JSON is written with `serde_json` from ordered maps, so the
//! bytes depend only on the results.

use std::io::{self, Write};
use std::path::Path;

use plotters::prelude::*;
use serde_json::{Map, Value, json};

use crate::engine::RunResult;
use crate::world::World;

/// Percentile `p` (0..=100) of sorted values (nearest rank).
pub fn percentile(sorted: &[f32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    f64::from(sorted[rank.min(sorted.len()) - 1])
}

fn round(x: f64, digits: i32) -> f64 {
    if !x.is_finite() {
        return 0.0;
    }
    let m = 10f64.powi(digits);
    (x * m).round() / m
}

/// One policy's entry of `summary.json`.
pub fn summary_entry(r: &RunResult) -> Value {
    let mut lat = r.latencies_ms.clone();
    lat.sort_by(f32::total_cmp);
    let mean = if lat.is_empty() {
        0.0
    } else {
        lat.iter().map(|&x| f64::from(x)).sum::<f64>() / lat.len() as f64
    };
    json!({
        "completed": r.completed,
        "failed": r.failed,
        "mean_latency_ms": round(mean, 3),
        "p50_latency_ms": round(percentile(&lat, 50.0), 3),
        "p99_latency_ms": round(percentile(&lat, 99.0), 3),
        "energy_j": round(r.energy_j, 6),
        "sensor_energy_j": round(r.sensor_energy_j, 6),
        "energy_by_tier_j": {
            "sensor": round(r.energy_by_tier_j[0], 6),
            "edge": round(r.energy_by_tier_j[1], 6),
            "cloud": round(r.energy_by_tier_j[2], 6),
        },
        "nodes_depleted": r.nodes_depleted,
    })
}

/// Write `summary.json` for `results` (one entry per policy).
pub fn write_summary(dir: &Path, results: &[RunResult]) -> io::Result<()> {
    let mut policies = Map::new();
    for r in results {
        policies.insert(r.policy.clone(), summary_entry(r));
    }
    let v = json!({ "policies": Value::Object(policies) });
    let mut text = serde_json::to_string_pretty(&v).map_err(io::Error::other)?;
    text.push('\n');
    std::fs::write(dir.join("summary.json"), text)
}

/// Write `functions.csv`: per policy and function, completions, latency,
/// energy and where it ran.
pub fn write_functions(dir: &Path, world: &World, results: &[RunResult]) -> io::Result<()> {
    let mut f = io::BufWriter::new(std::fs::File::create(dir.join("functions.csv"))?);
    writeln!(
        f,
        "policy,function,completed,failed,mean_latency_ms,energy_j,sensor_energy_j,sensor_energy_per_inv_j,ran_on_sensor,ran_on_edge,ran_on_cloud"
    )?;
    for r in results {
        for (fs, func) in r.per_function.iter().zip(&world.functions) {
            let n = (fs.completed + fs.failed).max(1) as f64;
            let mean = if fs.completed == 0 {
                0.0
            } else {
                fs.latency_ms_sum / fs.completed as f64
            };
            writeln!(
                f,
                "{},{},{},{},{:.3},{:.6},{:.6},{:.9},{},{},{}",
                r.policy,
                func.profile.name,
                fs.completed,
                fs.failed,
                mean,
                fs.energy_j,
                fs.sensor_energy_j,
                fs.sensor_energy_j / n,
                fs.by_tier[0],
                fs.by_tier[1],
                fs.by_tier[2]
            )?;
        }
    }
    f.flush()
}

/// Write `costs.json`: each policy's mean shared cost and its gap to the
/// oracle's (when the oracle ran).
pub fn write_costs(dir: &Path, results: &[RunResult]) -> io::Result<()> {
    let oracle = results
        .iter()
        .find(|r| r.policy == "oracle")
        .map(RunResult::mean_cost);
    let mut policies = Map::new();
    for r in results {
        let c = r.mean_cost();
        let gap = oracle
            .filter(|o| *o > 0.0)
            .map(|o| round(100.0 * (c - o) / o, 2));
        policies.insert(
            r.policy.clone(),
            json!({ "mean_cost_s": round(c, 6), "gap_to_oracle_pct": gap }),
        );
    }
    let v = json!({
        "cost": "per invocation: latency in s (the deadline if it failed) + energy drawn from batteries in J, each joule weighted by 1 + 8 * used_fraction^2 (halved when harvesting)",
        "policies": Value::Object(policies),
    });
    let mut text = serde_json::to_string_pretty(&v).map_err(io::Error::other)?;
    text.push('\n');
    std::fs::write(dir.join("costs.json"), text)
}

const COLOURS: [RGBColor; 6] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
];

fn plot_err<E: std::fmt::Debug>(e: E) -> io::Error {
    io::Error::other(format!("plot: {e:?}"))
}

/// Latency CDF per policy (log x axis), `latency_cdf.svg`.
pub fn plot_latency_cdf(dir: &Path, results: &[RunResult]) -> io::Result<()> {
    let path = dir.join("latency_cdf.svg");
    let root = SVGBackend::new(&path, (800, 500)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let mut max = 1.0f64;
    let mut min = f64::MAX;
    for r in results {
        for &x in &r.latencies_ms {
            max = max.max(f64::from(x));
            min = min.min(f64::from(x));
        }
    }
    let min = min.clamp(0.01, max / 10.0);
    let mut chart = ChartBuilder::on(&root)
        .caption("Latency CDF per policy", ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d((min..max * 1.2).log_scale(), 0.0..1.0)
        .map_err(plot_err)?;
    chart
        .configure_mesh()
        .x_desc("latency (ms, log scale)")
        .y_desc("fraction of completed invocations")
        .draw()
        .map_err(plot_err)?;
    for (i, r) in results.iter().enumerate() {
        let mut lat = r.latencies_ms.clone();
        lat.sort_by(f32::total_cmp);
        let n = lat.len().max(1) as f64;
        // At most ~500 points per curve.
        let step = (lat.len() / 500).max(1);
        let pts: Vec<(f64, f64)> = lat
            .iter()
            .enumerate()
            .filter(|(k, _)| k % step == 0 || *k + 1 == lat.len())
            .map(|(k, &x)| (f64::from(x).max(min), (k + 1) as f64 / n))
            .collect();
        let c = COLOURS[i % COLOURS.len()];
        chart
            .draw_series(LineSeries::new(pts, c.stroke_width(2)))
            .map_err(plot_err)?
            .label(r.policy.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .position(SeriesLabelPosition::LowerRight)
        .draw()
        .map_err(plot_err)?;
    root.present().map_err(plot_err)
}

/// Mean sensor battery over time per policy, `battery.svg`.
pub fn plot_battery(dir: &Path, results: &[RunResult]) -> io::Result<()> {
    let path = dir.join("battery.svg");
    let root = SVGBackend::new(&path, (800, 500)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let hours = results
        .iter()
        .flat_map(|r| r.battery_series.iter().map(|p| p.0))
        .fold(0.0f64, f64::max)
        .max(0.01);
    let (mut lo, mut hi) = (100.0f64, 0.0f64);
    for r in results {
        for p in &r.battery_series {
            for v in [p.1, p.2] {
                if v.is_finite() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
        }
    }
    if lo > hi {
        (lo, hi) = (0.0, 100.0);
    }
    let pad = ((hi - lo) * 0.1).max(0.5);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Mean battery charge (solid: sensors, dashed: gateways)",
            ("sans-serif", 20),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..hours, (lo - pad).max(0.0)..(hi + pad).min(100.0))
        .map_err(plot_err)?;
    chart
        .configure_mesh()
        .x_desc("simulated time (h)")
        .y_desc("charge (%)")
        .draw()
        .map_err(plot_err)?;
    for (i, r) in results.iter().enumerate() {
        let c = COLOURS[i % COLOURS.len()];
        let sensors: Vec<(f64, f64)> = r
            .battery_series
            .iter()
            .filter(|p| p.1.is_finite())
            .map(|p| (p.0, p.1))
            .collect();
        chart
            .draw_series(LineSeries::new(sensors, c.stroke_width(2)))
            .map_err(plot_err)?
            .label(r.policy.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
        let gws: Vec<(f64, f64)> = r
            .battery_series
            .iter()
            .filter(|p| p.2.is_finite())
            .map(|p| (p.0, p.2))
            .collect();
        // Dashed: every other segment.
        for seg in gws.windows(2).step_by(2) {
            chart
                .draw_series(LineSeries::new(seg.iter().copied(), c.stroke_width(1)))
                .map_err(plot_err)?;
        }
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .position(SeriesLabelPosition::LowerLeft)
        .draw()
        .map_err(plot_err)?;
    root.present().map_err(plot_err)
}

/// Energy per invocation by tier, stacked bars per policy,
/// `energy_by_tier.svg`.
pub fn plot_energy(dir: &Path, results: &[RunResult]) -> io::Result<()> {
    let path = dir.join("energy_by_tier.svg");
    let root = SVGBackend::new(&path, (800, 500)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let per = |r: &RunResult, t: usize| {
        let n = (r.completed + r.failed).max(1) as f64;
        r.energy_by_tier_j[t] / n * 1000.0
    };
    let top = results
        .iter()
        .map(|r| (0..3).map(|t| per(r, t)).sum::<f64>())
        .fold(0.0f64, f64::max)
        .max(1e-6)
        * 1.15;
    let n = results.len().max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption("Energy per invocation by tier (mJ)", ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..n as f64, 0.0..top)
        .map_err(plot_err)?;
    let names: Vec<String> = results.iter().map(|r| r.policy.clone()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n * 2 + 1)
        .x_label_formatter(&|x| {
            let k = x.floor() as usize;
            if (x - k as f64 - 0.5).abs() < 0.26 {
                names.get(k).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_desc("mJ per invocation")
        .draw()
        .map_err(plot_err)?;
    let tiers = ["sensor", "edge", "cloud"];
    for (t, name) in tiers.iter().enumerate() {
        let c = COLOURS[t];
        let bars: Vec<Rectangle<(f64, f64)>> = results
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let base: f64 = (0..t).map(|u| per(r, u)).sum();
                let x = i as f64;
                Rectangle::new([(x + 0.2, base), (x + 0.8, base + per(r, t))], c.filled())
            })
            .collect();
        chart
            .draw_series(bars)
            .map_err(plot_err)?
            .label(*name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 15, y + 5)], c.filled()));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(plot_err)?;
    root.present().map_err(plot_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<f32> = (1..=100).map(|x| x as f32).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&v, 100.0), 100.0);
        assert_eq!(percentile(&[], 50.0), 0.0);
        assert_eq!(percentile(&[3.0], 1.0), 3.0);
    }

    #[test]
    fn summary_has_the_documented_shape() {
        let r = RunResult {
            policy: "local".into(),
            completed: 2,
            failed: 1,
            latencies_ms: vec![10.0, 30.0],
            energy_j: 1.5,
            sensor_energy_j: 1.0,
            energy_by_tier_j: [1.0, 0.5, 0.0],
            nodes_depleted: 3,
            ..RunResult::default()
        };
        let v = summary_entry(&r);
        let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "completed",
                "energy_by_tier_j",
                "energy_j",
                "failed",
                "mean_latency_ms",
                "nodes_depleted",
                "p50_latency_ms",
                "p99_latency_ms",
                "sensor_energy_j"
            ]
        );
        assert_eq!(v["mean_latency_ms"], 20.0);
        assert_eq!(v["energy_by_tier_j"]["edge"], 0.5);
        assert_eq!(v["nodes_depleted"], 3);
    }
}
