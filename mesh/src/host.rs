//! The VM's [`Host`] on a capable node: real clocks, the function's
//! environment variables, a deadline, and a bounded log buffer for the
//! function's `print` output.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nanolambda_firmware::vm::Host;

/// Where `print` output goes.
pub enum LogSink {
    /// Write each print to the process's standard error (the `run` command).
    Stderr,
    /// Keep the output in memory, at most `limit` bytes (the oldest dropped first).
    Buffer {
        /// The kept output.
        text: String,
        /// Most bytes kept.
        limit: usize,
    },
}

/// A [`Host`] backed by the operating system.
pub struct StdHost {
    env: Vec<(String, String)>,
    started: Instant,
    deadline: Instant,
    log: LogSink,
}

impl StdHost {
    /// A host whose invocation may run for `timeout` from now.
    pub fn new(env: Vec<(String, String)>, timeout: Duration, log: LogSink) -> Self {
        let started = Instant::now();
        StdHost {
            env,
            started,
            deadline: started + timeout,
            log,
        }
    }

    /// The output captured by a [`LogSink::Buffer`] (empty for stderr).
    pub fn take_log(&mut self) -> String {
        match &mut self.log {
            LogSink::Stderr => String::new(),
            LogSink::Buffer { text, .. } => std::mem::take(text),
        }
    }
}

impl Host for StdHost {
    fn print(&mut self, text: &str) {
        match &mut self.log {
            LogSink::Stderr => eprint!("{text}"),
            LogSink::Buffer { text: buf, limit } => {
                buf.push_str(text);
                if buf.len() > *limit {
                    let mut cut = buf.len() - *limit;
                    while !buf.is_char_boundary(cut) {
                        cut += 1;
                    }
                    buf.drain(..cut);
                }
            }
        }
    }

    fn time_unix(&mut self) -> f64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0)
    }

    fn time_monotonic(&mut self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    fn env_var(&mut self, name: &str) -> Option<String> {
        self.env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    fn env_vars(&mut self) -> Vec<(String, String)> {
        self.env.clone()
    }

    fn remaining_millis(&mut self) -> i64 {
        let now = Instant::now();
        if now >= self.deadline {
            0
        } else {
            i64::try_from((self.deadline - now).as_millis()).unwrap_or(i64::MAX)
        }
    }
}
