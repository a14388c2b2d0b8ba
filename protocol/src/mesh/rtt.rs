//! Round-trip time estimation per peer, the RFC 6298 way: a smoothed RTT
//! (EWMA, gain 1/8), an RTT variation (EWMA of the deviation, gain 1/4) and
//! a retransmission timeout `RTO = SRTT + max(G, 4·RTTVAR)`, clamped.
//! Samples come from membership probes (ping to ack) and from CoAP
//! exchanges the driver times (invocations, module fetches). Owns the
//! arithmetic only; who keeps one estimator per peer is the caller's choice
//! (membership keeps one in each member's record).
//!
//! Integer microseconds, so the sensor needs no floating point and the
//! simulator stays bit-for-bit reproducible.

use super::Millis;

/// Clock granularity `G` of RFC 6298 §2, in microseconds.
const GRANULARITY_US: u32 = 1_000;

/// RTO bounds and the value before any sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RtoLimits {
    /// Timeout used before the first sample. RFC 6298 says 1 s for the
    /// Internet; a LAN mesh starts lower so the first probes are not slow.
    pub initial_ms: u32,
    /// Lower clamp. RFC 6298 recommends 1 s for TCP, far above a LAN's RTT;
    /// 20 ms keeps timeouts tight on loopback and Ethernet while staying
    /// above scheduling jitter of a loaded host.
    pub min_ms: u32,
    /// Upper clamp (RFC 6298 allows 60 s; a function deadline rarely does).
    pub max_ms: u32,
}

impl Default for RtoLimits {
    fn default() -> Self {
        RtoLimits {
            initial_ms: 500,
            min_ms: 20,
            max_ms: 10_000,
        }
    }
}

/// One peer's RTT estimate. 12 bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RttEstimator {
    /// Smoothed RTT in microseconds; 0 until the first sample.
    srtt_us: u32,
    /// RTT variation in microseconds.
    rttvar_us: u32,
    /// Samples taken (saturating).
    samples: u32,
}

impl RttEstimator {
    /// No samples yet.
    pub const fn new() -> Self {
        RttEstimator {
            srtt_us: 0,
            rttvar_us: 0,
            samples: 0,
        }
    }

    /// Feed one measured round trip (RFC 6298 §2.2 and §2.3).
    pub fn sample_us(&mut self, rtt_us: u32) {
        let r = rtt_us.max(1);
        if self.samples == 0 {
            self.srtt_us = r;
            self.rttvar_us = r / 2;
        } else {
            let dev = self.srtt_us.abs_diff(r);
            // RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R|; SRTT <- 7/8 SRTT + 1/8 R
            self.rttvar_us = ((u64::from(self.rttvar_us) * 3 + u64::from(dev)) / 4)
                .min(u64::from(u32::MAX)) as u32;
            self.srtt_us =
                ((u64::from(self.srtt_us) * 7 + u64::from(r)) / 8).min(u64::from(u32::MAX)) as u32;
        }
        self.samples = self.samples.saturating_add(1);
    }

    /// Feed a round trip measured between two [`Millis`] instants.
    pub fn sample(&mut self, sent: Millis, received: Millis) {
        let ms = received
            .saturating_sub(sent)
            .min(u64::from(u32::MAX / 1000));
        self.sample_us(ms as u32 * 1000);
    }

    /// Smoothed RTT in milliseconds, `None` before the first sample.
    pub fn srtt_ms(&self) -> Option<u32> {
        (self.samples > 0).then(|| self.srtt_us.div_ceil(1000))
    }

    /// RTT variation in milliseconds, `None` before the first sample.
    pub fn rttvar_ms(&self) -> Option<u32> {
        (self.samples > 0).then(|| self.rttvar_us.div_ceil(1000))
    }

    /// Number of samples taken.
    pub fn samples(&self) -> u32 {
        self.samples
    }

    /// Retransmission timeout in milliseconds: `SRTT + max(G, 4·RTTVAR)`,
    /// clamped to `limits`; `limits.initial_ms` before any sample.
    pub fn rto_ms(&self, limits: &RtoLimits) -> u32 {
        if self.samples == 0 {
            return limits.initial_ms.clamp(limits.min_ms, limits.max_ms);
        }
        let k = u64::from(self.rttvar_us) * 4;
        let rto_us = u64::from(self.srtt_us) + k.max(u64::from(GRANULARITY_US));
        let rto_ms = rto_us.div_ceil(1000).min(u64::from(u32::MAX)) as u32;
        rto_ms.clamp(limits.min_ms, limits.max_ms)
    }

    /// Back off after a timeout (RFC 6298 §5.5: double, the caller keeps the
    /// doubled value until the next sample). Implemented by inflating the
    /// variation so the next [`rto_ms`](Self::rto_ms) is about twice as long.
    pub fn back_off(&mut self) {
        if self.samples > 0 {
            let rto = u64::from(self.srtt_us) + u64::from(self.rttvar_us) * 4;
            let target = rto * 2;
            let var = target.saturating_sub(u64::from(self.srtt_us)) / 4;
            self.rttvar_us = var.min(u64::from(u32::MAX)) as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sample_sets_srtt_and_half_variation() {
        let mut e = RttEstimator::new();
        let limits = RtoLimits::default();
        assert_eq!(e.srtt_ms(), None);
        assert_eq!(e.rto_ms(&limits), 500);
        e.sample(1000, 1010);
        assert_eq!(e.srtt_ms(), Some(10));
        assert_eq!(e.rttvar_ms(), Some(5));
        // 10 + 4*5 = 30 ms
        assert_eq!(e.rto_ms(&limits), 30);
    }

    #[test]
    fn steady_samples_converge_and_variation_shrinks() {
        let mut e = RttEstimator::new();
        for _ in 0..50 {
            e.sample_us(40_000);
        }
        assert_eq!(e.srtt_ms(), Some(40));
        assert!(e.rttvar_ms().unwrap() <= 1);
        // Variation gone: RTO = SRTT + G = 41 ms.
        assert_eq!(e.rto_ms(&RtoLimits::default()), 41);
    }

    #[test]
    fn spike_moves_srtt_by_an_eighth() {
        let mut e = RttEstimator::new();
        for _ in 0..50 {
            e.sample_us(10_000);
        }
        e.sample_us(90_000);
        // 7/8 * 10 + 1/8 * 90 = 20 ms
        assert_eq!(e.srtt_ms(), Some(20));
        assert!(e.rto_ms(&RtoLimits::default()) > 60);
    }

    #[test]
    fn rto_is_clamped_and_backs_off() {
        let limits = RtoLimits {
            initial_ms: 100,
            min_ms: 20,
            max_ms: 200,
        };
        let mut e = RttEstimator::new();
        e.sample_us(1_000);
        assert_eq!(e.rto_ms(&limits), 20, "clamped up to the minimum");
        e.sample_us(1_000_000);
        assert_eq!(e.rto_ms(&limits), 200, "clamped down to the maximum");
        let mut f = RttEstimator::new();
        for _ in 0..20 {
            f.sample_us(30_000);
        }
        let before = f.rto_ms(&RtoLimits::default());
        f.back_off();
        let after = f.rto_ms(&RtoLimits::default());
        assert!(
            after >= before * 2 - 2 && after <= before * 2 + 2,
            "{before} -> {after}"
        );
    }
}
