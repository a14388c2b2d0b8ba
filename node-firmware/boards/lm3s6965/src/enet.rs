//! Driver for the LM3S6965's Ethernet controller as QEMU's `stellaris_enet`
//! model implements it, behind smoltcp's [`Device`] (RX/TX tokens).
//!
//! It polls (the controller's interrupt stays masked in the NVIC) and moves
//! frames through the controller's FIFO register one 32-bit word at a time:
//!
//! * transmit: the first word's low half is the frame length minus the
//!   14-byte Ethernet header, the frame starts at the word's third byte; then
//!   a write of 1 to `TR` sends it. The controller pads short frames (`PADEN`)
//!   and appends the CRC (`CRC`).
//! * receive: `NP` counts waiting frames; each reads as a 16-bit length (frame
//!   + 6), the frame, then 4 CRC bytes, rounded up to whole words.
//!
//! The driver borrows one receive and one transmit buffer (a whole frame each);
//! it does not own the IP stack, the clock or interrupts.

use smoltcp::phy::{Device, DeviceCapabilities, Medium, RxToken, TxToken};
use smoltcp::time::Instant;

/// Base address of the Ethernet controller.
const ENET_BASE: usize = 0x4004_8000;
/// Interrupt status (read) / acknowledge (write).
const RIS: usize = 0x00;
/// Interrupt mask.
const IM: usize = 0x04;
/// Receive control.
const RCTL: usize = 0x08;
/// Transmit control.
const TCTL: usize = 0x0c;
/// The FIFO: transmit by writing, receive by reading.
const DATA: usize = 0x10;
/// MAC address bytes 0-3.
const IA0: usize = 0x14;
/// MAC address bytes 4-5.
const IA1: usize = 0x18;
/// Number of received frames waiting.
const NP: usize = 0x34;
/// Transmit request.
const TR: usize = 0x38;

const RCTL_RXEN: u32 = 0x01;
const RCTL_RSTFIFO: u32 = 0x10;
const TCTL_TXEN: u32 = 0x01;
const TCTL_PADEN: u32 = 0x02;
const TCTL_CRC: u32 = 0x04;

/// Largest frame handled (no VLAN tag): header 14 + MTU 1500.
pub const MAX_FRAME_BYTES: usize = 1514;
/// Smallest frame: an Ethernet header.
const MIN_FRAME_BYTES: usize = 14;
/// The receive FIFO's view of a frame: 2 length bytes, frame, 4 CRC bytes,
/// in whole words.
pub const RX_BUFFER_BYTES: usize = (2 + MAX_FRAME_BYTES + 4).div_ceil(4) * 4;
/// The transmit FIFO's view: 2 length bytes then the frame, in whole words.
pub const TX_BUFFER_BYTES: usize = (2 + MAX_FRAME_BYTES).div_ceil(4) * 4;
/// A MAC used if the controller reports a multicast or zero one (smoltcp
/// refuses those); locally administered.
const FALLBACK_MAC: [u8; 6] = [0x02, 0x00, 0x00, 0x12, 0x34, 0x56];

/// Frame counters, for the logs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EnetStats {
    /// Frames handed to the stack.
    pub rx_frames: u32,
    /// Frames dropped: larger than [`MAX_FRAME_BYTES`] or with a bad length.
    pub rx_dropped: u32,
    /// Frames sent.
    pub tx_frames: u32,
}

/// The Ethernet controller.
pub struct Enet<'a> {
    mac: [u8; 6],
    rx: &'a mut [u8; RX_BUFFER_BYTES],
    tx: &'a mut [u8; TX_BUFFER_BYTES],
    stats: EnetStats,
}

fn read(offset: usize) -> u32 {
    // SAFETY: `offset` is one of the register offsets above, inside the
    // controller's 4 KiB MMIO window; a volatile 32-bit read is how the
    // controller is accessed.
    unsafe { core::ptr::read_volatile((ENET_BASE + offset) as *const u32) }
}

fn write(offset: usize, value: u32) {
    // SAFETY: as in `read`; the controller accepts 32-bit writes to these
    // registers.
    unsafe { core::ptr::write_volatile((ENET_BASE + offset) as *mut u32, value) }
}

impl<'a> Enet<'a> {
    /// Take the controller: empty its receive FIFO, mask its interrupts,
    /// enable receive (promiscuous off: the model delivers what the network
    /// sends us) and transmit with padding and CRC, and read its MAC.
    /// Frames pass through `rx` and `tx`.
    ///
    /// # Safety
    /// Only on an LM3S6965 (or QEMU's `lm3s6965evb`), once: the driver
    /// assumes it alone accesses the controller's registers.
    pub unsafe fn take(
        rx: &'a mut [u8; RX_BUFFER_BYTES],
        tx: &'a mut [u8; TX_BUFFER_BYTES],
    ) -> Self {
        write(IM, 0);
        write(RCTL, RCTL_RSTFIFO);
        write(RIS, 0x7f);
        write(RCTL, RCTL_RXEN);
        write(TCTL, TCTL_TXEN | TCTL_PADEN | TCTL_CRC);
        let ia0 = read(IA0).to_le_bytes();
        let ia1 = read(IA1).to_le_bytes();
        let mut mac = [ia0[0], ia0[1], ia0[2], ia0[3], ia1[0], ia1[1]];
        if mac[0] & 1 != 0 || mac == [0; 6] {
            mac = FALLBACK_MAC;
            write(IA0, u32::from_le_bytes([mac[0], mac[1], mac[2], mac[3]]));
            write(IA1, u32::from_le_bytes([mac[4], mac[5], 0, 0]));
        }
        Enet {
            mac,
            rx,
            tx,
            stats: EnetStats::default(),
        }
    }

    /// The MAC address the controller answers to.
    pub fn mac(&self) -> [u8; 6] {
        self.mac
    }

    /// Frame counters so far.
    pub fn stats(&self) -> EnetStats {
        self.stats
    }

    /// Move the next waiting frame into the receive buffer; its length, or
    /// `None` when no frame (of a size we take) waits.
    fn receive_frame(&mut self) -> Option<usize> {
        while read(NP) != 0 {
            let first = read(DATA);
            // Frame + 2 length bytes + 4 CRC bytes, as the FIFO counts it.
            let total = (first & 0xffff) as usize;
            let words = total.div_ceil(4).max(1);
            let frame_len = total.saturating_sub(6);
            let keep = (MIN_FRAME_BYTES..=MAX_FRAME_BYTES).contains(&frame_len);
            if let Some(head) = self.rx.get_mut(0..4) {
                head.copy_from_slice(&first.to_le_bytes());
            }
            for i in 1..words {
                // Always drain the whole frame so the FIFO stays in step.
                let word = read(DATA);
                if keep && let Some(dst) = self.rx.get_mut(i * 4..i * 4 + 4) {
                    dst.copy_from_slice(&word.to_le_bytes());
                }
            }
            if keep {
                self.stats.rx_frames = self.stats.rx_frames.wrapping_add(1);
                return Some(frame_len);
            }
            self.stats.rx_dropped = self.stats.rx_dropped.wrapping_add(1);
        }
        None
    }
}

/// A received frame, lent to smoltcp.
pub struct EnetRxToken<'a> {
    frame: &'a [u8],
}

impl RxToken for EnetRxToken<'_> {
    fn consume<R, F>(self, f: F) -> R
    where
        F: FnOnce(&[u8]) -> R,
    {
        f(self.frame)
    }
}

/// The transmit buffer, lent to smoltcp; the frame goes out when it is consumed.
pub struct EnetTxToken<'a> {
    stream: &'a mut [u8; TX_BUFFER_BYTES],
    stats: &'a mut EnetStats,
}

impl TxToken for EnetTxToken<'_> {
    fn consume<R, F>(self, len: usize, f: F) -> R
    where
        F: FnOnce(&mut [u8]) -> R,
    {
        // smoltcp never asks for more than the MTU we advertise; clamp anyway
        // so a larger request cannot index past the buffer.
        let len = len.min(MAX_FRAME_BYTES);
        let (head, body) = self.stream.split_at_mut(2);
        let frame = body.get_mut(..len).unwrap_or_default();
        let result = f(frame);
        if len >= MIN_FRAME_BYTES {
            let data_len = (len - MIN_FRAME_BYTES) as u16;
            head.copy_from_slice(&data_len.to_le_bytes());
            for chunk in self.stream.chunks(4).take((2 + len).div_ceil(4)) {
                let mut word = [0u8; 4];
                word.get_mut(..chunk.len())
                    .unwrap_or_default()
                    .copy_from_slice(chunk);
                write(DATA, u32::from_le_bytes(word));
            }
            write(TR, 1);
            self.stats.tx_frames = self.stats.tx_frames.wrapping_add(1);
        }
        result
    }
}

impl Device for Enet<'_> {
    type RxToken<'a>
        = EnetRxToken<'a>
    where
        Self: 'a;
    type TxToken<'a>
        = EnetTxToken<'a>
    where
        Self: 'a;

    fn receive(&mut self, _timestamp: Instant) -> Option<(Self::RxToken<'_>, Self::TxToken<'_>)> {
        let len = self.receive_frame()?;
        let Enet { rx, tx, stats, .. } = self;
        let frame = rx.get(2..2 + len)?;
        Some((EnetRxToken { frame }, EnetTxToken { stream: tx, stats }))
    }

    fn transmit(&mut self, _timestamp: Instant) -> Option<Self::TxToken<'_>> {
        // The model sends synchronously on `TR`; real silicon clears `TR`
        // when the previous frame has left.
        if read(TR) & 1 != 0 {
            return None;
        }
        Some(EnetTxToken {
            stream: self.tx,
            stats: &mut self.stats,
        })
    }

    fn capabilities(&self) -> DeviceCapabilities {
        let mut caps = DeviceCapabilities::default();
        caps.medium = Medium::Ethernet;
        caps.max_transmission_unit = MAX_FRAME_BYTES;
        caps.max_burst_size = Some(1);
        caps
    }
}
