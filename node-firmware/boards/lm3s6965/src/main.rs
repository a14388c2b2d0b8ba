//! nanolambda's sensor-tier image for a TI Stellaris LM3S6965 (Cortex-M3,
//! 256 KiB flash, 64 KiB RAM), as QEMU's `lm3s6965evb` emulates it.
//!
//! Boot: read the configuration from the semihosting command line
//! (`config.rs`), start the SysTick millisecond clock, take the Ethernet
//! controller, get an address by DHCP (10.0.2.15 under QEMU's user network;
//! after [`DHCP_FALLBACK_MS`] without a lease, 10.0.2.15/24 via 10.0.2.2, or
//! `--ip`/`--router` from the start; images without the `dhcp` feature take
//! `--ip` or 10.0.2.15/24 at once), then serve CoAP on port 5683 and POST
//! the node's state to `--gateway` every `--period` seconds (`coap.rs`). With
//! the `vm` feature, `POST /fn/<NANOLAMBDA_FUNCTION>` runs the bytecode
//! module embedded at build time (`NANOLAMBDA_MODULE`) in the VM's arena.
//!
//! This file owns what only exists on the chip: the clock, the heap, the
//! static RAM map, semihosting (command line, logs) and the panic handler,
//! which reports over semihosting and resets the chip.
//!
//! RAM map (64 KiB at 0x2000_0000; `memory.x.in` and `docs/firmware.md` give
//! the measured sizes): `.bss` holds the VM arena ([`ARENA_BYTES`], `vm`
//! only), the `alloc` heap ([`HEAP_BYTES`]), the Ethernet frame buffers and
//! the UDP socket buffers ([`UDP_SOCKETS`] × [`UDP_BUFFER_BYTES`] each way);
//! the stack grows down from the top of RAM into what is left (painted at
//! boot; `/status` reports its high-water mark as `stack_peak`).
#![no_std]
#![no_main]

extern crate alloc;

use core::mem::MaybeUninit;
use core::net::Ipv4Addr;
#[cfg(not(feature = "sensor-member"))]
use core::net::SocketAddr;
use core::panic::PanicInfo;
use core::sync::atomic::{AtomicU32, Ordering};

use cortex_m::peripheral::syst::SystClkSource;
use cortex_m::peripheral::{SCB, SYST};
use cortex_m_rt::{entry, exception};
use cortex_m_semihosting::hprintln;
use embedded_alloc::LlffHeap as Heap;
#[cfg(not(feature = "sensor-member"))]
use nanolambda_lm3s6965::coap::{CoapApp, Functions, NodeStatus};
use nanolambda_lm3s6965::config::Config;
use nanolambda_lm3s6965::enet::{self, Enet};
use nanolambda_lm3s6965::net::{self, NetEvent, NetStack, UdpBuffers};
use smoltcp::iface::SocketStorage;
use smoltcp::socket::udp::PacketMetadata;
use smoltcp::time::Instant;

#[global_allocator]
static HEAP: Heap = Heap::empty();

/// The `alloc` heap: CoAP packets being parsed or built; with the VM also
/// the decoded module, the prepared program and the interpreter's side
/// tables (value stack, frames, caches), which measured 2-9 KiB for the
/// benchmark programs.
#[cfg(all(feature = "vm", not(feature = "sensor-member")))]
const HEAP_BYTES: usize = 24 * 1024;
/// With the sensor node the VM arena lives in the heap (see `sensor_node`),
/// next to the fetched module and the mesh's tables.
#[cfg(feature = "sensor")]
const HEAP_BYTES: usize = 44 * 1024;
/// The sensor node without the interpreter: the mesh's tables and packets.
#[cfg(all(feature = "sensor-member", not(feature = "sensor")))]
const HEAP_BYTES: usize = 24 * 1024;
#[cfg(not(feature = "vm"))]
const HEAP_BYTES: usize = 16 * 1024;
/// The VM's fixed arena (the budget: at least 16 KiB).
#[cfg(all(feature = "vm", not(feature = "sensor-member")))]
const ARENA_BYTES: usize = 16 * 1024;
#[cfg(feature = "sensor")]
const ARENA_BYTES: usize = sensor_node::ARENA_BYTES;
#[cfg(all(feature = "sensor-member", not(feature = "sensor")))]
const ARENA_BYTES: usize = 0;
#[cfg(not(feature = "vm"))]
const ARENA_BYTES: usize = 0;
/// UDP sockets in the pool: the CoAP port (the responder, or with the
/// sensor node the node itself).
const UDP_SOCKETS: usize = 1;
/// Payload bytes per socket and direction: a 1024-byte block plus CoAP
/// header and options fits (RFC 7252's 1152-byte datagram).
const UDP_BUFFER_BYTES: usize = 1280;
/// Datagrams queued per socket and direction.
const UDP_QUEUE: usize = 4;
/// How long to wait for a DHCP lease before the static fallback.
const DHCP_FALLBACK_MS: u64 = 10_000;
/// QEMU's user network: our usual address and its router (the host).
const FALLBACK_ADDRESS: (Ipv4Addr, u8) = (Ipv4Addr::new(10, 0, 2, 15), 24);
const FALLBACK_ROUTER: Ipv4Addr = Ipv4Addr::new(10, 0, 2, 2);
/// The core clock after reset under QEMU: its 200 MHz PLL divided by the
/// reset value of RCC.SYSDIV (15 + 1) gives 12.5 MHz.
const CORE_HZ: u32 = 12_500_000;

/// Milliseconds since boot, advanced by the SysTick exception.
static MILLIS: AtomicU32 = AtomicU32::new(0);
/// Seconds between the sensor image's memory log lines (heap free, stack
/// peak), ms.
#[cfg(feature = "sensor-member")]
const MEMORY_LOG_MS: u64 = 60_000;
/// Unix time at boot in seconds, from the host (semihosting `SYS_TIME`).
static BOOT_UNIX_SECS: AtomicU32 = AtomicU32::new(0);

#[exception]
fn SysTick() {
    MILLIS.fetch_add(1, Ordering::Relaxed);
}

/// Monotonic milliseconds, extended past the 32-bit counter's wrap (49 days)
/// by noticing it go backwards; read at least once per wrap.
struct Clock {
    last: u32,
    wraps: u32,
}

impl Clock {
    fn start(mut syst: SYST) -> Self {
        // Select the core clock first: QEMU's model of the other source
        // (the external reference) has no frequency.
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(CORE_HZ / 1000 - 1);
        syst.clear_current();
        syst.enable_interrupt();
        syst.enable_counter();
        Clock { last: 0, wraps: 0 }
    }

    fn now_ms(&mut self) -> u64 {
        let now = MILLIS.load(Ordering::Relaxed);
        if now < self.last {
            self.wraps = self.wraps.wrapping_add(1);
        }
        self.last = now;
        (u64::from(self.wraps) << 32) | u64::from(now)
    }
}

/// Displays an optional value, `none` when absent (cheaper than `Debug`).
struct OrNone<T>(Option<T>);

impl<T: core::fmt::Display> core::fmt::Display for OrNone<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match &self.0 {
            Some(v) => v.fmt(f),
            None => f.write_str("none"),
        }
    }
}

/// Byte the free stack is painted with at boot, to find its high-water mark.
const STACK_PAINT: u8 = 0xa5;

unsafe extern "C" {
    /// End of the statics (cortex-m-rt): the lowest address the stack may reach.
    static mut __sheap: u8;
    /// Top of RAM, where the stack starts (cortex-m-rt).
    static _stack_start: u8;
}

/// The stack region: from the end of the statics to the top of RAM.
fn stack_bounds() -> (usize, usize) {
    (
        core::ptr::addr_of_mut!(__sheap) as usize,
        core::ptr::addr_of!(_stack_start) as usize,
    )
}

/// Paint the free stack below the current frame (leaving 256 bytes of slack).
fn paint_stack() {
    let (bottom, _) = stack_bounds();
    let limit = cortex_m::register::msp::read() as usize - 256;
    let mut at = bottom;
    while at < limit {
        // SAFETY: between the end of the statics and below the live part
        // of the stack, no object lives; painting it is only observed by
        // `stack_peak`.
        unsafe { core::ptr::write_volatile(at as *mut u8, STACK_PAINT) };
        at += 1;
    }
}

/// Deepest stack use so far, in bytes: the painted bytes still intact from
/// the bottom are the ones never touched.
fn stack_peak() -> usize {
    let (bottom, top) = stack_bounds();
    let mut at = bottom;
    // SAFETY: reads inside the stack region; bytes below the current frame
    // are not live objects.
    while at < top && unsafe { core::ptr::read_volatile(at as *const u8) } == STACK_PAINT {
        at += 1;
    }
    top - at
}

/// Log a line over semihosting (QEMU prints it on its standard output).
macro_rules! log {
    ($($arg:tt)*) => { hprintln!("[nanolambda] {}", format_args!($($arg)*)) };
}

/// The semihosting command line (`SYS_GET_CMDLINE`), into `buf`.
fn read_cmdline(buf: &mut [u8]) -> &str {
    // The call takes a two-word block (buffer, length) and writes the
    // length of the NUL-terminated text back into the second word.
    let mut block = [buf.as_mut_ptr() as usize, buf.len().saturating_sub(1)];
    // SAFETY: `block` names a writable buffer of the given length, which the
    // debugger (QEMU) fills; the call has no other effect.
    let status = unsafe {
        cortex_m_semihosting::syscall1(
            cortex_m_semihosting::nr::GET_CMDLINE,
            block.as_mut_ptr() as usize,
        )
    };
    // SAFETY: `block` is a live local the host may have written.
    let len = unsafe { core::ptr::read_volatile(&block[1]) };
    if status != 0 {
        return "";
    }
    buf.get(..len)
        .and_then(|text| core::str::from_utf8(text).ok())
        .unwrap_or("")
}

/// Seconds since the epoch from the host (`SYS_TIME`), to vary ids per boot.
fn host_time() -> u32 {
    // SAFETY: SYS_TIME takes no argument and only returns a value.
    unsafe { cortex_m_semihosting::syscall1(cortex_m_semihosting::nr::TIME, 0) as u32 }
}

#[entry]
fn main() -> ! {
    static mut HEAP_MEM: [MaybeUninit<u8>; HEAP_BYTES] = [MaybeUninit::uninit(); HEAP_BYTES];
    static mut RX_FRAME: [u8; enet::RX_BUFFER_BYTES] = [0; enet::RX_BUFFER_BYTES];
    static mut TX_FRAME: [u8; enet::TX_BUFFER_BYTES] = [0; enet::TX_BUFFER_BYTES];
    static mut SOCKETS: [SocketStorage<'static>; UDP_SOCKETS + 1] =
        [SocketStorage::EMPTY; UDP_SOCKETS + 1];
    static mut UDP_META: [[PacketMetadata; UDP_QUEUE]; 2 * UDP_SOCKETS] =
        [[PacketMetadata::EMPTY; UDP_QUEUE]; 2 * UDP_SOCKETS];
    static mut UDP_PAYLOAD: [[u8; UDP_BUFFER_BYTES]; 2 * UDP_SOCKETS] =
        [[0; UDP_BUFFER_BYTES]; 2 * UDP_SOCKETS];
    static mut CMDLINE: [u8; 256] = [0; 256];

    // `#[entry]` turns the `static mut`s above into `&'static mut`
    // references handed out exactly once.
    // SAFETY: the heap region is a static buffer used by nothing else, and
    // `init` is called once, before any allocation.
    unsafe { HEAP.init(HEAP_MEM.as_mut_ptr() as usize, HEAP_BYTES) }
    paint_stack();

    let cmdline = read_cmdline(CMDLINE);
    let config = match Config::parse(cmdline) {
        Ok(config) => config,
        Err(e) => {
            log!("bad command line ({e}); using the defaults");
            Config::default()
        }
    };
    log!(
        "node {} battery {}% period {}s gateway {} report /{}",
        config.name,
        config.battery_percent,
        config.period_secs,
        OrNone(config.gateway),
        config.report_path
    );

    let Some(peripherals) = cortex_m::Peripherals::take() else {
        log!("core peripherals already taken");
        SCB::sys_reset()
    };
    let mut clock = Clock::start(peripherals.SYST);
    let seed = host_time();
    BOOT_UNIX_SECS.store(seed, Ordering::Relaxed);

    // SAFETY: this is the LM3S6965 (or QEMU's model of it) and nothing else
    // touches the Ethernet controller.
    let device = unsafe { Enet::take(RX_FRAME, TX_FRAME) };
    let mac = device.mac();
    let mut udp_meta = UDP_META.iter_mut();
    let mut udp_payload = UDP_PAYLOAD.iter_mut();
    let buffers = core::iter::from_fn(|| {
        Some(UdpBuffers {
            rx_meta: udp_meta.next()?,
            rx_payload: udp_payload.next()?,
            tx_meta: udp_meta.next()?,
            tx_payload: udp_payload.next()?,
        })
    });
    let mut stack = NetStack::new(
        device,
        mac,
        SOCKETS,
        buffers,
        config.static_ip.is_none(),
        u64::from(seed),
        Instant::from_millis(0),
    );
    if let Some((address, prefix)) = config.static_ip {
        stack.set_static(net::ipv4_cidr(address, prefix), config.router);
        log!(
            "static address {address}/{prefix} router {}",
            OrNone(config.router)
        );
    } else if cfg!(not(feature = "dhcp")) {
        // No DHCP client in this image: QEMU's user network at once.
        let (address, prefix) = FALLBACK_ADDRESS;
        stack.set_static(net::ipv4_cidr(address, prefix), Some(FALLBACK_ROUTER));
        log!("no dhcp in this image; static {address}/{prefix} router {FALLBACK_ROUTER}");
    }
    log!(
        "mac {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        mac[0],
        mac[1],
        mac[2],
        mac[3],
        mac[4],
        mac[5]
    );

    // With the sensor node, the node owns the CoAP port (its gossip replaces
    // the JSON heartbeat, its invocations the embedded module).
    #[cfg(not(feature = "sensor-member"))]
    let mut app = match CoapApp::new(
        &mut stack,
        config.gateway.map(SocketAddr::V4),
        &config.report_path,
        config.period_secs,
        seed,
    ) {
        Ok(app) => app,
        Err(e) => {
            log!("cannot bind the CoAP port: {}", e.describe());
            SCB::sys_reset()
        }
    };
    #[cfg(not(feature = "sensor-member"))]
    let mut functions = runtime::functions();
    #[cfg(not(feature = "sensor-member"))]
    log!(
        "CoAP on udp/{}; VM arena {} B; {} function(s)",
        nanolambda_lm3s6965::coap::COAP_PORT,
        ARENA_BYTES,
        functions.names().len()
    );
    #[cfg(feature = "sensor-member")]
    let Some(mut sensor) = sensor_node::start(&mut stack, &config, seed) else {
        log!("sensor node not started (no --gateway or no socket)");
        SCB::sys_reset()
    };
    #[cfg(feature = "sensor-member")]
    log!(
        "sensor node on udp/{}; VM arena {} B in the heap",
        nanolambda_lm3s6965::coap::COAP_PORT,
        ARENA_BYTES
    );

    #[cfg(not(feature = "sensor-member"))]
    let mut reports_logged = 0u32;
    #[cfg(feature = "sensor-member")]
    let mut next_memory_log = 0;
    // The stack scan reads up to the whole free stack: once a second.
    let (mut stack_used, mut next_stack_scan) = (0, 0);
    loop {
        let now = clock.now_ms();
        match stack.poll(Instant::from_millis(now as i64)) {
            NetEvent::Leased { address, router } => {
                log!(
                    "dhcp: address {address} router {} after {now} ms",
                    OrNone(router)
                );
            }
            NetEvent::LeaseLost => log!("dhcp: lease lost"),
            NetEvent::None => {}
        }
        if stack.ipv4_address().is_none() && now >= DHCP_FALLBACK_MS {
            let (address, prefix) = FALLBACK_ADDRESS;
            stack.set_static(net::ipv4_cidr(address, prefix), Some(FALLBACK_ROUTER));
            log!("dhcp: no lease after {now} ms; static {address}/{prefix}");
        }
        if now >= next_stack_scan {
            stack_used = stack_peak();
            next_stack_scan = now + 1000;
        }
        #[cfg(feature = "sensor-member")]
        {
            if stack.ipv4_address().is_some() {
                sensor_node::poll(&mut sensor, &mut stack, now);
                // Send what the node produced now rather than at the next tick.
                stack.poll(Instant::from_millis(now as i64));
            }
            if now >= next_memory_log {
                log!(
                    "memory: heap free {} B, stack peak {} B",
                    HEAP.free(),
                    stack_used
                );
                next_memory_log = now + MEMORY_LOG_MS;
            }
            cortex_m::asm::wfi();
        }
        #[cfg(not(feature = "sensor-member"))]
        {
            let status = NodeStatus {
                name: &config.name,
                battery_percent: config.battery_percent,
                uptime_ms: now,
                heap_free: HEAP.free(),
                arena_bytes: ARENA_BYTES,
                stack_peak: stack_used,
                address: stack.ipv4_address(),
            };
            let outcome = app.poll(&mut stack, now, &status, &mut functions);
            if let Some(seq) = outcome.report_sent {
                // The first reports, then one in a hundred, to keep the log short.
                if reports_logged < 3 || seq % 100 == 0 {
                    let stats = app.stats();
                    let frames = stack.device().stats();
                    log!(
                        "report {seq} sent; requests {} ignored {} send errors {}; frames rx {} tx {} dropped {}",
                        stats.requests,
                        stats.ignored,
                        stats.send_errors,
                        frames.rx_frames,
                        frames.tx_frames,
                        frames.rx_dropped
                    );
                    reports_logged += 1;
                }
            }
            if outcome.answered > 0 || outcome.report_sent.is_some() {
                // Send the replies now rather than at the next tick.
                stack.poll(Instant::from_millis(now as i64));
            } else {
                // The next SysTick (1 ms) wakes us; the Ethernet interrupt stays
                // masked, frames wait in the controller's FIFO (31 frames).
                cortex_m::asm::wfi();
            }
        }
    }
}

/// The functions this image can run: the VM and its embedded module with
/// the `vm` feature, none without. (With the sensor node, invocations go to
/// the node, so the embedded-module path and its static arena are left out.)
#[cfg(not(feature = "vm"))]
mod runtime {
    pub fn functions() -> nanolambda_lm3s6965::coap::NoFunctions {
        nanolambda_lm3s6965::coap::NoFunctions
    }
}

#[cfg(all(feature = "vm", not(feature = "sensor-member")))]
mod runtime;

#[cfg(feature = "sensor-member")]
mod sensor_node;

/// Report, then reset: a sensor must come back on its own. By default the
/// report says only that a panic happened: naming the source location keeps
/// every panic site's location record in the image (12.4 KiB of flash with
/// the VM) and the message its formatting code as well (7.4 KiB more), so
/// those are opt-in features for debugging builds (`panic-location`,
/// `panic-message`).
#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    #[cfg(feature = "panic-message")]
    {
        let mut text: heapless::String<160> = heapless::String::new();
        let _ = core::fmt::Write::write_fmt(&mut text, format_args!("{info}"));
        hprintln!("[nanolambda] panic: {}; resetting", text);
    }
    #[cfg(all(feature = "panic-location", not(feature = "panic-message")))]
    match info.location() {
        Some(at) => hprintln!(
            "[nanolambda] panic at {}:{}; resetting",
            at.file(),
            at.line()
        ),
        None => hprintln!("[nanolambda] panic; resetting"),
    }
    #[cfg(not(any(feature = "panic-location", feature = "panic-message")))]
    {
        let _ = info;
        hprintln!("[nanolambda] panic; resetting (details: build with --features panic-location)");
    }
    SCB::sys_reset()
}
