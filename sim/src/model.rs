//! Device, link and energy models: every physical constant the simulator
//! uses, each with its source.
//!
//! Owns numbers, not behaviour: the engine asks "how long does this take on
//! that device, and how many joules" and this module answers from datasheet
//! figures. The full table with citations is `docs/sim.md` ("Models"); keep
//! the two in step. Figures marked *estimate* are derived, not read off a
//! datasheet, and the derivation is given next to them.

use nanolambda_protocol::message::Tier;

use crate::scenario::{LinkSpec, SolarSpec};

/// One kind of hardware.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DeviceClass {
    /// Name used in scenario files.
    pub name: &'static str,
    /// Where it sits.
    pub tier: Tier,
    /// Clock, MHz.
    pub clock_mhz: f64,
    /// VM instructions per second on one core (see [`vm_rate`]).
    pub vm_instr_per_s: f64,
    /// Relative speed in the protocol's unit (100 = LM3S6965 at 50 MHz).
    pub cpu_speed: u32,
    /// Executions in parallel (cores given to functions).
    pub cores: u32,
    /// RAM usable as VM arena, bytes.
    pub arena_bytes: u32,
    /// Power drawn by one busy core above idle, watts (energy per run).
    pub active_w: f64,
    /// Power drawn between invocations (radio associated, CPU asleep or idle), watts.
    pub idle_w: f64,
    /// Radio transmit power, watts.
    pub tx_w: f64,
    /// Radio receive power, watts.
    pub rx_w: f64,
    /// Fixed radio-on time per datagram (wake-up, preamble, ACK), seconds.
    pub radio_overhead_s: f64,
    /// Default battery, watt-hours (0: mains).
    pub battery_wh: f64,
}

/// VM instructions per second measured for the nanolambda VM on the
/// reference host (an AMD EPYC core, `benches/sim_calibrate.sh`): the
/// interpreter running `sim/scenarios/functions/*.py`, release build.
pub const HOST_VM_INSTR_PER_S: f64 = 70.0e6;

/// EEMBC CoreMark per MHz, used to scale the measured host VM rate to other
/// cores (an interpreter is integer and branch bound, like CoreMark).
/// Sources: Arm Cortex-M3 and M4 product pages (3.34 and 3.42 CoreMark/MHz);
/// ESP8266 (Xtensa LX106) *estimate* 2.6 from published CoreMark runs at
/// 80 MHz (~210); Cortex-A72 in the Raspberry Pi 4 ~5.9 (single-thread
/// CoreMark ~8800 at 1.5 GHz); server x86 core ~6.5 (the host, 3.0 GHz).
pub const COREMARK_PER_MHZ_M3: f64 = 3.34;
/// See [`COREMARK_PER_MHZ_M3`].
pub const COREMARK_PER_MHZ_M4: f64 = 3.42;
/// See [`COREMARK_PER_MHZ_M3`].
pub const COREMARK_PER_MHZ_LX106: f64 = 2.6;
/// See [`COREMARK_PER_MHZ_M3`].
pub const COREMARK_PER_MHZ_A72: f64 = 5.9;
/// See [`COREMARK_PER_MHZ_M3`].
pub const COREMARK_PER_MHZ_X86: f64 = 6.5;
/// The host's clock for the calibration, MHz.
pub const HOST_MHZ: f64 = 3000.0;

/// VM instructions per second of a core at `mhz` with `coremark_per_mhz`,
/// scaled from the host measurement.
pub fn vm_rate(mhz: f64, coremark_per_mhz: f64) -> f64 {
    HOST_VM_INSTR_PER_S * (mhz * coremark_per_mhz) / (HOST_MHZ * COREMARK_PER_MHZ_X86)
}

/// Protocol speed unit: 100 is the LM3S6965 at 50 MHz.
fn speed_units(mhz: f64, coremark_per_mhz: f64) -> u32 {
    let v = 100.0 * mhz * coremark_per_mhz / (50.0 * COREMARK_PER_MHZ_M3);
    v.round() as u32
}

impl DeviceClass {
    /// Every built-in class.
    pub fn all() -> [DeviceClass; 5] {
        [esp8266(), cc3220sf(), lm3s6965(), rpi4(), cloud_vm()]
    }

    /// Names of the built-in classes.
    pub fn names() -> Vec<&'static str> {
        Self::all().iter().map(|c| c.name).collect()
    }

    /// The class called `name`.
    pub fn by_name(name: &str) -> Option<DeviceClass> {
        Self::all().into_iter().find(|c| c.name == name)
    }

    /// Its tier.
    pub fn tier(&self) -> Tier {
        self.tier
    }

    /// Seconds to run `fuel` VM instructions on one core.
    pub fn run_seconds(&self, fuel: u64) -> f64 {
        fuel as f64 / self.vm_instr_per_s
    }
}

/// Espressif ESP8266EX datasheet v6.6 (2020), table 5-2 "Power consumption"
/// at 3.3 V: TX 802.11b 1 Mbps +19.5 dBm 170 mA; RX 802.11n 56 mA;
/// modem-sleep (CPU at 80 MHz, radio off) 15 mA; light-sleep (associated,
/// DTIM wake-ups) 0.9 mA. §3.1: Tensilica L106 at 80 MHz. RAM: 80 KiB of
/// user data RAM, of which a function arena gets 40 KiB next to the WiFi
/// stack (estimate). Battery: 2 x AA NiMH, 2000 mAh at 2.4 V = 4.8 Wh.
fn esp8266() -> DeviceClass {
    const V: f64 = 3.3;
    DeviceClass {
        name: "esp8266",
        tier: Tier::Sensor,
        clock_mhz: 80.0,
        vm_instr_per_s: vm_rate(80.0, COREMARK_PER_MHZ_LX106),
        cpu_speed: speed_units(80.0, COREMARK_PER_MHZ_LX106),
        cores: 1,
        arena_bytes: 40 * 1024,
        active_w: 0.015 * V,
        idle_w: 0.0009 * V,
        tx_w: 0.170 * V,
        rx_w: 0.056 * V,
        radio_overhead_s: 0.002,
        battery_wh: 4.8,
    }
}

/// TI CC3220SF datasheet (SWAS035C), §8.6 "Current Consumption Summary
/// (CC3220SF)" at 3.6 V. *Estimates*: the figures are recalled, not read off
/// the table (the section exists, its values could not be retrieved from a
/// reachable copy; see docs/sim.md): MCU active with the network
/// processor idle 15.3 mA; TX 1 DSSS at 18 dBm 229 mA; RX 1 DSSS 59 mA;
/// LPDS with the network processor idle-connected (DTIM 1) 0.71 mA.
/// Cortex-M4 at 80 MHz, 256 KiB RAM (arena: 128 KiB). Battery: 2 x AA.
fn cc3220sf() -> DeviceClass {
    const V: f64 = 3.6;
    DeviceClass {
        name: "cc3220sf",
        tier: Tier::Sensor,
        clock_mhz: 80.0,
        vm_instr_per_s: vm_rate(80.0, COREMARK_PER_MHZ_M4),
        cpu_speed: speed_units(80.0, COREMARK_PER_MHZ_M4),
        cores: 1,
        arena_bytes: 128 * 1024,
        active_w: 0.0153 * V,
        idle_w: 0.00071 * V,
        tx_w: 0.229 * V,
        rx_w: 0.059 * V,
        radio_overhead_s: 0.002,
        battery_wh: 4.8,
    }
}

/// TI Stellaris LM3S6965 datasheet (DS-LM3S6965): Cortex-M3 at 50 MHz,
/// 64 KiB SRAM (arena 48 KiB, as in `node-firmware/boards/lm3s6965`),
/// 10/100 Ethernet MAC+PHY on chip. Run mode with the PHY on ~110 mA and
/// sleep ~15 mA at 3.3 V (*estimates*, recalled from the datasheet's power
/// specifications; no reachable copy could confirm them, see docs/sim.md).
/// Wired: the "radio" is the Ethernet PHY,
/// whose extra draw is modelled as 40 mA on TX and RX. Usually mains powered.
fn lm3s6965() -> DeviceClass {
    const V: f64 = 3.3;
    DeviceClass {
        name: "lm3s6965",
        tier: Tier::Sensor,
        clock_mhz: 50.0,
        vm_instr_per_s: vm_rate(50.0, COREMARK_PER_MHZ_M3),
        cpu_speed: speed_units(50.0, COREMARK_PER_MHZ_M3),
        cores: 1,
        arena_bytes: 48 * 1024,
        active_w: 0.095 * V,
        idle_w: 0.015 * V,
        tx_w: 0.040 * V,
        rx_w: 0.040 * V,
        radio_overhead_s: 0.0001,
        battery_wh: 0.0,
    }
}

/// Raspberry Pi 4 Model B: 4 x Cortex-A72 at 1.5 GHz (product brief).
/// Power at 5 V, raspberrypi.com power measurements: idle 540 mA (2.7 W),
/// all four cores loaded 1280 mA (6.4 W): 0.925 W per busy core above idle.
/// Arena per invocation: 64 MiB (no practical limit). Radio: Ethernet/WiFi
/// power is inside the board figures (tx/rx 0).
fn rpi4() -> DeviceClass {
    DeviceClass {
        name: "rpi4",
        tier: Tier::Edge,
        clock_mhz: 1500.0,
        vm_instr_per_s: vm_rate(1500.0, COREMARK_PER_MHZ_A72),
        cpu_speed: speed_units(1500.0, COREMARK_PER_MHZ_A72),
        cores: 4,
        arena_bytes: 64 * 1024 * 1024,
        active_w: (6.4 - 2.7) / 4.0,
        idle_w: 2.7,
        tx_w: 0.0,
        rx_w: 0.0,
        radio_overhead_s: 0.0,
        battery_wh: 0.0,
    }
}

/// A cloud VM, 3.0 GHz x86 vCPUs. Power per vCPU from the Cloud Carbon
/// Footprint methodology's AWS coefficients: 0.74 W idle, 3.5 W at full
/// load, times the AWS PUE 1.135 they use: 3.13 W per busy vCPU above idle.
/// 16 vCPUs by default (a scenario may set `cores`).
fn cloud_vm() -> DeviceClass {
    DeviceClass {
        name: "cloud_vm",
        tier: Tier::Cloud,
        clock_mhz: HOST_MHZ,
        vm_instr_per_s: vm_rate(HOST_MHZ, COREMARK_PER_MHZ_X86),
        cpu_speed: speed_units(HOST_MHZ, COREMARK_PER_MHZ_X86),
        cores: 16,
        arena_bytes: 256 * 1024 * 1024,
        active_w: (3.5 - 0.74) * 1.135,
        idle_w: 0.74 * 1.135 * 16.0,
        tx_w: 0.0,
        rx_w: 0.0,
        radio_overhead_s: 0.0,
        battery_wh: 0.0,
    }
}

/// Sensor to gateway over WiFi, one hop: 2 ms median one-way (802.11n
/// channel access and a CoAP datagram of a few hundred bytes), 1 Mbit/s of
/// application throughput for an ESP8266-class UDP stack, 1 % loss
/// (scenario defaults; *estimates* for a rural site).
pub const LINK_SENSOR_EDGE: LinkSpec = LinkSpec {
    latency_ms: 2.0,
    jitter_sigma: 0.5,
    bandwidth_kbps: 1000.0,
    loss: 0.01,
};

/// Gateway to gateway: a site LAN or a point-to-point WiFi backhaul, 1 ms,
/// 50 Mbit/s, 0.1 % loss (*estimates*).
pub const LINK_EDGE_EDGE: LinkSpec = LinkSpec {
    latency_ms: 1.0,
    jitter_sigma: 0.3,
    bandwidth_kbps: 50_000.0,
    loss: 0.001,
};

/// Gateway to cloud over LTE: 35 ms median one-way (~70 ms RTT, typical of
/// LTE to a regional data centre), 10 Mbit/s uplink, 0.5 % loss
/// (*estimates*).
pub const LINK_EDGE_CLOUD: LinkSpec = LinkSpec {
    latency_ms: 35.0,
    jitter_sigma: 0.3,
    bandwidth_kbps: 10_000.0,
    loss: 0.005,
};

/// CoAP confirmable-message retransmission (RFC 7252 §4.8): first timeout
/// ACK_TIMEOUT x U(1, ACK_RANDOM_FACTOR), doubled per retry, at most
/// MAX_RETRANSMIT retries.
pub const COAP_ACK_TIMEOUT_S: f64 = 2.0;
/// RFC 7252 §4.8 ACK_RANDOM_FACTOR.
pub const COAP_ACK_RANDOM_FACTOR: f64 = 1.5;
/// RFC 7252 §4.8 MAX_RETRANSMIT.
pub const COAP_MAX_RETRANSMIT: u32 = 4;
/// CoAP header (4), token (8), Uri-Path options for `/fn/<name>` and
/// Content-Format (~16), UDP (8) and IPv4 (20) headers: bytes added to each
/// encoded message on the wire.
pub const DATAGRAM_OVERHEAD_BYTES: u32 = 56;
/// A module is fetched in 1 KiB CoAP blocks (RFC 7959 SZX 6).
pub const BLOCK_BYTES: u32 = 1024;

/// Solar harvest power at `hour` (of the day, `0..24`): a half sine between
/// sunrise and sunset, `peak_w` at solar noon; clear sky (a scenario lowers
/// `peak_w` for cloud cover).
pub fn solar_power_w(s: &SolarSpec, hour: f64) -> f64 {
    let h = hour.rem_euclid(24.0);
    if h <= s.sunrise_h || h >= s.sunset_h {
        return 0.0;
    }
    let x = (h - s.sunrise_h) / (s.sunset_h - s.sunrise_h);
    s.peak_w * (core::f64::consts::PI * x).sin()
}

/// Energy harvested between hours `h0` and `h1` (`h1 >= h0`, any span), joules.
/// Closed form of the integral of [`solar_power_w`].
pub fn solar_energy_j(s: &SolarSpec, h0: f64, h1: f64) -> f64 {
    if h1 <= h0 || s.peak_w <= 0.0 {
        return 0.0;
    }
    let len = s.sunset_h - s.sunrise_h;
    // Integral over one day in watt-hours: peak * len * 2 / pi.
    let day_wh = s.peak_w * len * 2.0 / core::f64::consts::PI;
    // Cumulative watt-hours from the start of day d=0 up to absolute hour h.
    let cum = |h: f64| -> f64 {
        let day = (h / 24.0).floor();
        let hod = h - day * 24.0;
        let within = if hod <= s.sunrise_h {
            0.0
        } else if hod >= s.sunset_h {
            day_wh
        } else {
            let x = (hod - s.sunrise_h) / len;
            s.peak_w * len / core::f64::consts::PI * (1.0 - (core::f64::consts::PI * x).cos())
        };
        day * day_wh + within
    };
    (cum(h1) - cum(h0)) * 3600.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_ordered_by_speed_and_named() {
        let c = DeviceClass::all();
        assert_eq!(
            DeviceClass::by_name("lm3s6965").map(|d| d.cpu_speed),
            Some(100)
        );
        assert!(c[0].vm_instr_per_s < c[3].vm_instr_per_s);
        assert!(c[3].vm_instr_per_s < c[4].vm_instr_per_s);
        assert!(DeviceClass::by_name("vax").is_none());
        for d in c {
            assert!(d.vm_instr_per_s > 1e5, "{}", d.name);
        }
    }

    #[test]
    fn solar_integral_matches_the_curve() {
        let s = SolarSpec {
            peak_w: 10.0,
            sunrise_h: 6.0,
            sunset_h: 18.0,
        };
        assert_eq!(solar_power_w(&s, 3.0), 0.0);
        assert!((solar_power_w(&s, 12.0) - 10.0).abs() < 1e-9);
        // Numeric integral over 30 h from 3 h.
        let mut num = 0.0;
        let steps = 30_000;
        for i in 0..steps {
            let h = 3.0 + 30.0 * (f64::from(i) + 0.5) / f64::from(steps);
            num += solar_power_w(&s, h) * 30.0 / f64::from(steps) * 3600.0;
        }
        let closed = solar_energy_j(&s, 3.0, 33.0);
        assert!((num - closed).abs() / closed < 1e-4, "{num} {closed}");
        assert_eq!(solar_energy_j(&s, 5.0, 4.0), 0.0);
    }
}
