//! nanolambda on a TI Stellaris LM3S6965 (Cortex-M3, 256 KiB flash, 64 KiB
//! RAM), as QEMU's `lm3s6965evb` emulates it.
//!
//! Today this image proves the runtime on the device: it loads the bytecode
//! module embedded at build time (`NANOLAMBDA_MODULE`), verifies it, runs its
//! handler on the embedded event in a fixed 16 KiB arena, prints the result
//! (or the Lambda error document) and the fuel used over semihosting, and
//! exits QEMU. The networked sensor node comes with the firmware issue.
//!
//! RAM map (64 KiB): `.data`/`.bss` holds the 16 KiB VM arena and the
//! 24 KiB `alloc` heap (decoded module, prepared program); the rest is stack.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::mem::MaybeUninit;
use core::panic::PanicInfo;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprint, hprintln};
use embedded_alloc::LlffHeap as Heap;
use nanolambda_firmware::vm::{self, Context, Host, Invocation, Limits, Outcome, Program};

#[global_allocator]
static HEAP: Heap = Heap::empty();

const HEAP_BYTES: usize = 24 * 1024;
const ARENA_BYTES: usize = 16 * 1024;

static MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/module.nlbc"));
static EVENT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/event.json"));

/// The board's host services: semihosting output, no clock yet, no environment.
struct BoardHost;

impl Host for BoardHost {
    fn print(&mut self, text: &str) {
        hprint!("{}", text);
    }
    fn time_unix(&mut self) -> f64 {
        0.0
    }
    fn time_monotonic(&mut self) -> f64 {
        0.0
    }
    fn env_var(&mut self, _name: &str) -> Option<String> {
        None
    }
    fn env_vars(&mut self) -> Vec<(String, String)> {
        Vec::new()
    }
    fn remaining_millis(&mut self) -> i64 {
        i64::MAX
    }
}

#[entry]
fn main() -> ! {
    static mut HEAP_MEM: [MaybeUninit<u8>; HEAP_BYTES] = [MaybeUninit::uninit(); HEAP_BYTES];
    static mut ARENA: [u8; ARENA_BYTES] = [0; ARENA_BYTES];
    // `#[entry]` turns these `static mut`s into `&'static mut` references
    // handed out exactly once.
    // SAFETY: the heap region is a static buffer used by nothing else, and
    // `init` is called once, before any allocation.
    unsafe { HEAP.init(HEAP_MEM.as_mut_ptr() as usize, HEAP_BYTES) }
    let arena: &mut [u8] = ARENA;

    let code = match Program::load(MODULE) {
        Ok(program) => {
            let context = Context {
                function_name: "device".into(),
                function_version: "$LATEST".into(),
                invoked_function_arn: "arn:aws:lambda:local:000000000000:function:device".into(),
                memory_limit_in_mb: 1,
                aws_request_id: "00000000-0000-0000-0000-000000000000".into(),
                log_group_name: "/aws/lambda/device".into(),
                log_stream_name: "device".into(),
            };
            let inv = Invocation {
                handler: "handler",
                event_json: EVENT,
                context: &context,
            };
            let limits = Limits {
                fuel: 50_000_000,
                max_depth: 64,
                timeout_secs: 3.0,
            };
            let report = vm::invoke(&program, arena, &mut BoardHost, &inv, &limits);
            match report.outcome {
                Outcome::Ok(json) => hprintln!("result: {}", json),
                Outcome::Err(e) => hprintln!("error: {}: {}", e.error_type, e.error_message),
            }
            hprintln!(
                "fuel: {} peak-arena: {} heap-used: {}",
                report.fuel_used,
                report.peak_arena_bytes,
                HEAP.used()
            );
            debug::EXIT_SUCCESS
        }
        Err(e) => {
            hprintln!("module rejected: {:?}", e);
            debug::EXIT_FAILURE
        }
    };
    debug::exit(code);
    loop {
        cortex_m::asm::wfi();
    }
}

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    hprintln!("panic: {}", info);
    debug::exit(debug::EXIT_FAILURE);
    // Reset rather than hang if semihosting is absent.
    cortex_m::peripheral::SCB::sys_reset()
}
