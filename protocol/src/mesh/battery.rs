//! The battery charge model every battery-powered node runs (docs/mesh.md,
//! "Battery model"), in integer nanojoules so the capable node, the sensor
//! firmware and the simulator drain identically on every platform.
//!
//! The charge falls by every local execution (its run time × the tier's
//! active CPU power) and by every datagram sent or received (its bytes × the
//! tier's radio energy per byte). The figures are the tier's row of the
//! placement policy's [`TierEnergy`] table, the same numbers placement uses
//! to price running there. A node that measures run time (the capable node)
//! reports it with [`Battery::on_run_time_us`]; a sans-IO node that reads no
//! clock during a run (the sensor) reports the instructions it executed
//! with [`Battery::on_execution`], converted at the policy's reference rate
//! (`ref_instructions_per_ms` at `cpu_speed` 100). Owns no I/O; the driver
//! feeds it and gossips [`power`](Battery::power).

use super::placement::{PlacementConfig, TierEnergy};
use crate::message::{Percent, PowerSource, Tier};

/// Nanojoules in one milliwatt-hour (3.6 J).
const NJ_PER_MWH: u64 = 3_600_000_000;

/// The charge model of one battery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Battery {
    capacity_nj: u64,
    remaining_nj: u64,
    cpu_active_mw: u64,
    radio_nj_per_byte: u64,
    /// VM instructions per millisecond at `cpu_speed` 100.
    ref_instructions_per_ms: u64,
}

impl Battery {
    /// The model for a node on `tier` starting at `power`, with the
    /// default policy's hardware figures for that tier; `None` on mains.
    pub fn for_tier(power: PowerSource, tier: Tier) -> Option<Self> {
        let cfg = PlacementConfig::default();
        let hw = match tier {
            Tier::Sensor => cfg.sensor,
            Tier::Edge => cfg.edge,
            Tier::Cloud => cfg.cloud,
        };
        Self::new(power, &hw)
    }

    /// The model for a node starting at `power` with hardware `hw`; `None`
    /// on mains.
    pub fn new(power: PowerSource, hw: &TierEnergy) -> Option<Self> {
        let (percent, capacity_mwh) = match power {
            PowerSource::Mains => return None,
            PowerSource::Battery {
                percent,
                capacity_mwh,
            }
            | PowerSource::Harvesting {
                percent,
                capacity_mwh,
                ..
            } => (percent.get(), capacity_mwh),
        };
        let capacity_nj = u64::from(capacity_mwh.max(1)) * NJ_PER_MWH;
        Some(Battery {
            capacity_nj,
            remaining_nj: capacity_nj / 100 * u64::from(percent.min(100)),
            cpu_active_mw: u64::from(hw.cpu_active_mw),
            radio_nj_per_byte: u64::from(hw.radio_nj_per_byte),
            ref_instructions_per_ms: u64::from(
                PlacementConfig::default().ref_instructions_per_ms.max(1),
            ),
        })
    }

    fn drain_nj(&mut self, nj: u64) {
        self.remaining_nj = self.remaining_nj.saturating_sub(nj);
    }

    /// One execution of `fuel` VM instructions on a CPU of speed
    /// `cpu_speed` (100 = the reference): `fuel / (rate · speed/100)` ms at
    /// `cpu_active_mw` (mW × ms = µJ).
    pub fn on_execution(&mut self, fuel: u64, cpu_speed: u32) {
        let per_ms = (self.ref_instructions_per_ms * u64::from(cpu_speed.max(1)) / 100).max(1);
        self.on_run_time_us(fuel.saturating_mul(1000) / per_ms);
    }

    /// One execution that ran for `run_us` microseconds (measured).
    pub fn on_run_time_us(&mut self, run_us: u64) {
        // mW × µs = nJ.
        self.drain_nj(self.cpu_active_mw.saturating_mul(run_us));
    }

    /// `bytes` sent or received by radio.
    pub fn on_radio(&mut self, bytes: usize) {
        let bytes = u64::try_from(bytes).unwrap_or(u64::MAX);
        self.drain_nj(self.radio_nj_per_byte.saturating_mul(bytes));
    }

    /// The charge in whole percent, rounded up while any is left (a node
    /// does not report 0% with charge left), as the capable node rounds.
    pub fn percent(&self) -> u8 {
        let p = (self.remaining_nj.saturating_mul(100)).div_ceil(self.capacity_nj.max(1));
        u8::try_from(p.min(100)).unwrap_or(100)
    }

    /// `start` (the configured power source) with the current charge.
    pub fn power(&self, start: PowerSource) -> PowerSource {
        let Some(percent) = Percent::new(self.percent()) else {
            return start;
        };
        match start {
            PowerSource::Mains => PowerSource::Mains,
            PowerSource::Battery { capacity_mwh, .. } => PowerSource::Battery {
                percent,
                capacity_mwh,
            },
            PowerSource::Harvesting {
                capacity_mwh,
                harvest_mw,
                ..
            } => PowerSource::Harvesting {
                percent,
                capacity_mwh,
                harvest_mw,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sensor_hw() -> TierEnergy {
        PlacementConfig::default().sensor
    }

    fn battery(percent: u8, capacity_mwh: u32) -> PowerSource {
        PowerSource::Battery {
            percent: Percent::new(percent).unwrap(),
            capacity_mwh,
        }
    }

    #[test]
    fn mains_has_no_model() {
        assert!(Battery::new(PowerSource::Mains, &sensor_hw()).is_none());
    }

    #[test]
    fn radio_bytes_drain_by_the_tier_figure() {
        // 1 mWh = 3.6 J; 1% = 36 mJ = 72,000 bytes at 500 nJ/B.
        let mut b = Battery::new(battery(100, 1), &sensor_hw()).unwrap();
        assert_eq!(b.percent(), 100);
        b.on_radio(72_000);
        assert_eq!(b.percent(), 99);
        b.on_radio(72_000 * 9);
        assert_eq!(b.percent(), 90);
        assert_eq!(
            b.power(battery(100, 1)),
            battery(90, 1),
            "the gossiped source keeps its capacity"
        );
    }

    #[test]
    fn executions_drain_by_estimated_run_time() {
        // 500 instructions/ms at speed 100: 180,000 instructions = 360 ms
        // at 100 mW = 36 mJ = 1% of 1 mWh.
        let mut b = Battery::new(battery(50, 1), &sensor_hw()).unwrap();
        b.on_execution(180_000, 100);
        assert_eq!(b.percent(), 49);
        // Twice as fast a CPU: half the time, half the energy.
        b.on_execution(360_000, 200);
        assert_eq!(b.percent(), 48);
    }

    #[test]
    fn measured_run_time_drains_by_the_tier_cpu_power() {
        // 0.5 mWh left = 1.8 J. Edge CPU 3000 mW for 100 ms = 0.3 J.
        let mut b = Battery::for_tier(battery(50, 1), Tier::Edge).unwrap();
        assert_eq!(b.percent(), 50);
        b.on_run_time_us(100_000);
        assert_eq!(b.percent(), 42, "1.5 J of 3.6 J is 41.7%, rounded up");
        // 100 nJ/byte: 1 MB = 0.1 J.
        b.on_radio(1_000_000);
        assert_eq!(b.percent(), 39);
        for _ in 0..100 {
            b.on_run_time_us(1_000_000);
        }
        assert_eq!(b.percent(), 0);
        assert!(Battery::for_tier(PowerSource::Mains, Tier::Edge).is_none());
    }

    #[test]
    fn charge_rounds_up_and_stops_at_empty() {
        let mut b = Battery::new(battery(1, 1), &sensor_hw()).unwrap();
        b.on_radio(71_999);
        assert_eq!(b.percent(), 1, "some charge left reads 1%");
        b.on_radio(10_000_000);
        assert_eq!(b.percent(), 0);
        b.on_execution(u64::MAX, 1);
        assert_eq!(b.percent(), 0);
    }
}
