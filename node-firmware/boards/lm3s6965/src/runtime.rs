//! The function runtime on the board (`vm` feature): the bytecode module
//! embedded at build time (`NANOLAMBDA_MODULE`, a `.nlbc` from `nanolambda
//! compile`), verified once at boot, served as `POST /fn/<NANOLAMBDA_FUNCTION>`
//! (default `device`) and run in a fixed arena per invocation.
//!
//! Owns the VM's host services on the board (semihosting output, the
//! SysTick clock) and the arena. Until the sensor node fetches modules from
//! the mesh, the embedded module is the only one.

use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;

use cortex_m_semihosting::hprint;
use nanolambda_firmware::vm::{self, Context, Host, Invocation, Limits, Outcome, Program};
use nanolambda_lm3s6965::coap::{Functions, InvokeOutcome, lambda_error_json};

use crate::{ARENA_BYTES, BOOT_UNIX_SECS, MILLIS};

static MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/module.nlbc"));
const FUNCTION_NAME: &str = match option_env!("NANOLAMBDA_FUNCTION") {
    Some(name) => name,
    None => "device",
};

/// Instructions one invocation may execute.
const FUEL: u64 = 50_000_000;
/// Deepest call nesting.
const MAX_DEPTH: u32 = 64;

/// The board's host services: semihosting output, the SysTick clock (Unix
/// time from the host's clock at boot plus uptime), no environment.
struct BoardHost {
    deadline_ms: u64,
}

impl BoardHost {
    fn now_ms() -> u64 {
        u64::from(MILLIS.load(Ordering::Relaxed))
    }
}

impl Host for BoardHost {
    fn print(&mut self, text: &str) {
        hprint!("{}", text);
    }
    fn time_unix(&mut self) -> f64 {
        f64::from(BOOT_UNIX_SECS.load(Ordering::Relaxed)) + Self::now_ms() as f64 / 1000.0
    }
    fn time_monotonic(&mut self) -> f64 {
        Self::now_ms() as f64 / 1000.0
    }
    fn env_var(&mut self, _name: &str) -> Option<String> {
        None
    }
    fn env_vars(&mut self) -> Vec<(String, String)> {
        Vec::new()
    }
    fn remaining_millis(&mut self) -> i64 {
        self.deadline_ms.saturating_sub(Self::now_ms()) as i64
    }
}

/// The embedded module, verified, and its arena.
pub struct VmFunctions {
    program: Option<Program>,
    arena: &'static mut [u8; ARENA_BYTES],
    names: [&'static str; 1],
}

/// Load and verify the embedded module (logging why if it is refused).
pub fn functions() -> VmFunctions {
    static mut ARENA: [u8; ARENA_BYTES] = [0; ARENA_BYTES];
    // SAFETY: called once, from `main`, before anything else could take
    // the arena.
    let arena = unsafe { &mut *core::ptr::addr_of_mut!(ARENA) };
    // Opaque to the optimizer: with no module embedded the loader must stay
    // linked all the same, so the image's size does not depend on it.
    let module: &[u8] = core::hint::black_box(MODULE);
    let program = if module.is_empty() {
        None
    } else {
        match Program::load(module) {
            Ok(program) => Some(program),
            Err(e) => {
                cortex_m_semihosting::hprintln!("[nanolambda] module rejected: {}", e);
                None
            }
        }
    };
    VmFunctions {
        program,
        arena,
        names: [FUNCTION_NAME],
    }
}

impl Functions for VmFunctions {
    fn names(&self) -> &[&str] {
        if self.program.is_some() {
            &self.names
        } else {
            &[]
        }
    }

    fn invoke(&mut self, name: &str, event: &[u8]) -> Option<InvokeOutcome> {
        let program = self.program.as_ref().filter(|_| name == FUNCTION_NAME)?;
        let context = Context {
            function_name: FUNCTION_NAME.into(),
            function_version: "$LATEST".into(),
            invoked_function_arn: alloc::format!(
                "arn:aws:lambda:local:000000000000:function:{FUNCTION_NAME}"
            ),
            memory_limit_in_mb: 1,
            aws_request_id: "00000000-0000-0000-0000-000000000000".into(),
            log_group_name: alloc::format!("/aws/lambda/{FUNCTION_NAME}"),
            log_stream_name: "device".into(),
        };
        let inv = Invocation {
            handler: "handler",
            event_json: event,
            context: &context,
        };
        let limits = Limits {
            fuel: FUEL,
            max_depth: MAX_DEPTH,
            timeout_secs: 3.0,
        };
        let mut host = BoardHost {
            deadline_ms: BoardHost::now_ms().saturating_add(3000),
        };
        let started_ms = BoardHost::now_ms();
        let report = vm::invoke(program, &mut self.arena[..], &mut host, &inv, &limits);
        cortex_m_semihosting::hprintln!(
            "[nanolambda] invoked {}: fuel {} peak arena {} in {} ms",
            name,
            report.fuel_used,
            report.peak_arena_bytes,
            BoardHost::now_ms().saturating_sub(started_ms)
        );
        Some(match report.outcome {
            Outcome::Ok(json) => Ok(json.into_bytes()),
            Outcome::Err(e) => Err(lambda_error_json(&e.error_type, &e.error_message)),
        })
    }
}
