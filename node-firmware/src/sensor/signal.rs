//! The synthetic sensor the node reads on QEMU and on the host, and the
//! event its trigger sends to the configured function.
//!
//! Signal (documented in `docs/firmware.md`): a temperature in hundredths of
//! a degree Celsius, a triangle wave between 15.00 and 25.00 °C with a
//! 60-second period, plus a deterministic ripple of up to ±0.15 °C that
//! depends on the reading's sequence number. Integer arithmetic only, so
//! every tier reads exactly the same values at the same times.

use alloc::string::String;
use core::fmt::Write;

/// Period of the triangle wave, ms.
pub const PERIOD_MS: u64 = 60_000;
/// Lowest value of the wave, hundredths of °C.
pub const LOW_CENTI_C: i32 = 1500;
/// Highest value of the wave, hundredths of °C.
pub const HIGH_CENTI_C: i32 = 2500;

/// The temperature at `t_ms` after boot for reading number `seq`, in
/// hundredths of a degree Celsius.
pub fn temperature_centi_c(t_ms: u64, seq: u32) -> i32 {
    let half = PERIOD_MS / 2;
    let phase = t_ms % PERIOD_MS;
    // 0..=half and back down: position on the rising or falling edge.
    let up = if phase <= half {
        phase
    } else {
        PERIOD_MS - phase
    };
    let span = (HIGH_CENTI_C - LOW_CENTI_C) as u64;
    let wave = LOW_CENTI_C + (up * span / half) as i32;
    // Ripple: -15..=15 from the sequence number (a small LCG step).
    let ripple = (seq.wrapping_mul(1_103_515_245).wrapping_add(12_345) >> 16) % 31;
    wave + ripple as i32 - 15
}

/// The event the trigger sends: `{"sensor": NAME, "seq": N, "t_ms": T,
/// "temperature_c": 21.37}`.
pub fn reading_event(sensor: &str, seq: u32, t_ms: u64) -> String {
    let centi = temperature_centi_c(t_ms, seq);
    let mut out = String::with_capacity(96);
    out.push_str("{\"sensor\":");
    nanolambda_protocol::message::push_json_string(&mut out, sensor);
    let sign = if centi < 0 { "-" } else { "" };
    let abs = centi.unsigned_abs();
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        ",\"seq\":{seq},\"t_ms\":{t_ms},\"temperature_c\":{sign}{}.{:02}}}",
        abs / 100,
        abs % 100
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wave_stays_in_band_and_moves() {
        let mut lo = i32::MAX;
        let mut hi = i32::MIN;
        for (i, t) in (0..PERIOD_MS).step_by(500).enumerate() {
            let v = temperature_centi_c(t, i as u32);
            lo = lo.min(v);
            hi = hi.max(v);
        }
        assert!((LOW_CENTI_C - 15..LOW_CENTI_C + 100).contains(&lo), "{lo}");
        assert!(
            (HIGH_CENTI_C - 99..=HIGH_CENTI_C + 15).contains(&hi),
            "{hi}"
        );
        assert_eq!(temperature_centi_c(1234, 7), temperature_centi_c(1234, 7));
    }

    #[test]
    fn event_is_json() {
        let e = reading_event("s\"1", 3, 15_000);
        assert!(
            e.starts_with("{\"sensor\":\"s\\\"1\",\"seq\":3,\"t_ms\":15000,\"temperature_c\":")
        );
        assert!(e.ends_with('}'));
        let v = temperature_centi_c(15_000, 3);
        assert!(
            e.contains(&alloc::format!("{}.{:02}", v / 100, v % 100)),
            "{e}"
        );
    }
}
