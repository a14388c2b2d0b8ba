//! The node's settings, read at boot from the semihosting command line so the
//! same image serves any gateway, name and period without a rebuild.
//!
//! The command line is QEMU's `-semihosting-config arg=...` list joined by
//! spaces (or the kernel path followed by `-append`'s text). Everything before
//! the first `--flag` is the program name and is skipped. Flags:
//!
//! | flag | value | default |
//! |---|---|---|
//! | `--gateway` | `A.B.C.D:PORT`, the capable node reports go to | none: no reports |
//! | `--name` | 1-32 of `A-Z a-z 0-9 . _ -` | `sensor` |
//! | `--period` | seconds between reports (the trigger period), 1-86400 | `10` |
//! | `--battery` | percent, 0-100 (synthetic: QEMU has no battery) | `100` |
//! | `--ip` | `A.B.C.D/PREFIX`: static address, no DHCP | DHCP |
//! | `--router` | `A.B.C.D`: default route with `--ip` | none |
//! | `--report-path` | Uri-Path of the report, e.g. `/heartbeat` | `/heartbeat` |
//! | `--trigger` | function the sensor node invokes every period, 1-64 of `A-Z a-z 0-9 _ -` | none |
//!
//! This module only parses text; it does not read the command line itself.

use core::fmt;
use core::net::{Ipv4Addr, SocketAddrV4};

/// Longest node name.
pub const MAX_NAME_BYTES: usize = 32;
/// Longest report path.
pub const MAX_PATH_BYTES: usize = 48;
/// Longest function name (Lambda's limit).
pub const MAX_FUNCTION_BYTES: usize = 64;

/// The node's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Where state reports go; `None` sends none.
    pub gateway: Option<SocketAddrV4>,
    /// The node's name in the mesh.
    pub name: heapless::String<MAX_NAME_BYTES>,
    /// Seconds between state reports (and local triggers).
    pub period_secs: u32,
    /// The battery level the node reports, in percent.
    pub battery_percent: u8,
    /// A static address and prefix length instead of DHCP.
    pub static_ip: Option<(Ipv4Addr, u8)>,
    /// The default router with a static address.
    pub router: Option<Ipv4Addr>,
    /// The Uri-Path the report is POSTed to (without the leading `/`).
    pub report_path: heapless::String<MAX_PATH_BYTES>,
    /// The function the sensor node's trigger invokes every period.
    pub trigger: Option<heapless::String<MAX_FUNCTION_BYTES>>,
}

impl Default for Config {
    fn default() -> Self {
        let mut name = heapless::String::new();
        let _ = name.push_str("sensor");
        let mut report_path = heapless::String::new();
        let _ = report_path.push_str("heartbeat");
        Config {
            gateway: None,
            name,
            period_secs: 10,
            battery_percent: 100,
            static_ip: None,
            router: None,
            report_path,
            trigger: None,
        }
    }
}

/// Why a command line was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigError<'a> {
    /// A flag this firmware does not know.
    UnknownFlag(&'a str),
    /// A flag given as the last word, without its value.
    MissingValue(&'a str),
    /// A value that does not parse or is out of range; the text says what is expected.
    BadValue {
        /// The flag.
        flag: &'a str,
        /// The value given.
        value: &'a str,
        /// What the flag takes.
        expected: &'static str,
    },
}

impl fmt::Display for ConfigError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::UnknownFlag(flag) => write!(
                f,
                "unknown flag {flag} (known: --gateway --name --period --battery --ip --router --report-path --trigger)"
            ),
            ConfigError::MissingValue(flag) => write!(f, "{flag} needs a value"),
            ConfigError::BadValue {
                flag,
                value,
                expected,
            } => write!(f, "{flag} \"{value}\": expected {expected}"),
        }
    }
}

impl Config {
    /// Parse a command line (words separated by spaces).
    pub fn parse(cmdline: &str) -> Result<Config, ConfigError<'_>> {
        let mut config = Config::default();
        let mut words = cmdline
            .split_ascii_whitespace()
            .skip_while(|w| !w.starts_with("--"));
        while let Some(flag) = words.next() {
            let value = words.next().ok_or(ConfigError::MissingValue(flag))?;
            let bad = |expected| ConfigError::BadValue {
                flag,
                value,
                expected,
            };
            match flag {
                "--gateway" => {
                    config.gateway = Some(parse_socket_addr(value).ok_or(bad("IPV4:PORT"))?);
                }
                "--name" => config.name = parse_name(value).ok_or(bad(NAME_RULE))?,
                "--period" => {
                    config.period_secs = value
                        .parse()
                        .ok()
                        .filter(|s| (1..=86_400).contains(s))
                        .ok_or(bad("seconds, 1-86400"))?;
                }
                "--battery" => {
                    config.battery_percent = value
                        .parse()
                        .ok()
                        .filter(|p| *p <= 100)
                        .ok_or(bad("percent, 0-100"))?;
                }
                "--ip" => config.static_ip = Some(parse_cidr(value).ok_or(bad("A.B.C.D/PREFIX"))?),
                "--router" => {
                    config.router = Some(parse_ipv4(value).ok_or(bad("A.B.C.D"))?);
                }
                "--report-path" => {
                    config.report_path = parse_path(value).ok_or(bad(PATH_RULE))?;
                }
                "--trigger" => {
                    config.trigger = Some(parse_function(value).ok_or(bad(FUNCTION_RULE))?);
                }
                _ => return Err(ConfigError::UnknownFlag(flag)),
            }
        }
        Ok(config)
    }
}

const NAME_RULE: &str = "1-32 of A-Z a-z 0-9 . _ -";
const FUNCTION_RULE: &str = "1-64 of A-Z a-z 0-9 _ -";
const PATH_RULE: &str = "/SEGMENT[/SEGMENT...], at most 48 of A-Z a-z 0-9 . _ - /";

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

/// A node name: it goes into JSON and CoAP paths unescaped, so only safe bytes.
fn parse_name(value: &str) -> Option<heapless::String<MAX_NAME_BYTES>> {
    if value.is_empty() || !value.bytes().all(is_name_byte) {
        return None;
    }
    heapless::String::try_from(value).ok()
}

/// A function name as Lambda allows it.
fn parse_function(value: &str) -> Option<heapless::String<MAX_FUNCTION_BYTES>> {
    let ok = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
    if !ok {
        return None;
    }
    heapless::String::try_from(value).ok()
}

fn parse_path(value: &str) -> Option<heapless::String<MAX_PATH_BYTES>> {
    let rest = value.strip_prefix('/')?;
    let ok = !rest.is_empty()
        && rest
            .split('/')
            .all(|seg| !seg.is_empty() && seg != ".." && seg.bytes().all(is_name_byte));
    if !ok {
        return None;
    }
    heapless::String::try_from(rest).ok()
}

/// `A.B.C.D` exactly as `Ipv4Addr::from_str` accepts it (four decimal
/// octets, no leading zeros, at most 255), in a fraction of core's parser's
/// flash (which handles IPv6 too).
fn parse_ipv4(value: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = value.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        let digits = part.as_bytes();
        let ok = matches!(digits.len(), 1..=3)
            && digits.iter().all(u8::is_ascii_digit)
            && (digits.len() == 1 || digits.first() != Some(&b'0'));
        if !ok {
            return None;
        }
        *octet = digits
            .iter()
            .try_fold(0u16, |n, d| Some(n * 10 + u16::from(d - b'0')))
            .and_then(|n| u8::try_from(n).ok())?;
    }
    parts.next().is_none().then(|| Ipv4Addr::from(octets))
}

/// `A.B.C.D:PORT` as `SocketAddrV4::from_str` accepts it.
fn parse_socket_addr(value: &str) -> Option<SocketAddrV4> {
    let (ip, port) = value.rsplit_once(':')?;
    let port = port
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| port.parse::<u16>().ok())??;
    Some(SocketAddrV4::new(parse_ipv4(ip)?, port))
}

fn parse_cidr(value: &str) -> Option<(Ipv4Addr, u8)> {
    let (addr, prefix) = value.split_once('/')?;
    let addr = parse_ipv4(addr)?;
    let prefix: u8 = prefix.parse().ok()?;
    (prefix <= 32).then_some((addr, prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use core::str::FromStr;

    #[test]
    fn addresses_parse_as_core_parses_them() {
        let cases = [
            "10.0.2.2",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "1.02.3.4",
            "1..3.4",
            "",
            ".",
            "1.2.3.4.",
            "a.b.c.d",
            "1.2.3.-4",
            "+1.2.3.4",
            "1.2.3.1000",
            "1.2.3.4 ",
            "\u{0661}.2.3.4",
            "192.168.001.1",
            "0.0.0.00",
        ];
        for text in cases {
            assert_eq!(parse_ipv4(text), Ipv4Addr::from_str(text).ok(), "{text:?}");
            for port in [
                ":5683", ":0", ":65535", ":65536", ":", ":+1", ":05683", ":-1", "",
            ] {
                let addr = format!("{text}{port}");
                assert_eq!(
                    parse_socket_addr(&addr),
                    SocketAddrV4::from_str(&addr).ok(),
                    "{addr:?}"
                );
            }
        }
    }

    #[test]
    fn empty_command_line_gives_defaults() {
        assert_eq!(Config::parse(""), Ok(Config::default()));
        assert_eq!(Config::parse("/path/to/kernel.elf"), Ok(Config::default()));
    }

    #[test]
    fn every_flag_is_read_after_the_program_name() {
        let c = Config::parse(
            "nanolambda --gateway 10.0.2.2:40001 --name s-1.a_b --period 3 --battery 42 \
             --ip 192.168.1.9/24 --router 192.168.1.1 --report-path /nodes/state --trigger tick_1",
        )
        .unwrap();
        assert_eq!(c.gateway, Some("10.0.2.2:40001".parse().unwrap()));
        assert_eq!(c.name.as_str(), "s-1.a_b");
        assert_eq!(c.period_secs, 3);
        assert_eq!(c.battery_percent, 42);
        assert_eq!(c.static_ip, Some((Ipv4Addr::new(192, 168, 1, 9), 24)));
        assert_eq!(c.router, Some(Ipv4Addr::new(192, 168, 1, 1)));
        assert_eq!(c.report_path.as_str(), "nodes/state");
        assert_eq!(c.trigger.as_deref(), Some("tick_1"));
    }

    #[test]
    fn bad_values_are_refused_with_the_flag() {
        for line in [
            "--gateway 10.0.2.2",
            "--gateway host:1",
            "--name",
            "--name a\"b",
            "--name 0123456789012345678901234567890123",
            "--period 0",
            "--period 86401",
            "--battery 101",
            "--ip 10.0.2.15/33",
            "--ip 10.0.2.15",
            "--router 10.0.2",
            "--report-path heartbeat",
            "--report-path /a/../b",
            "--report-path /a//b",
            "--trigger a.b",
            "--trigger 01234567890123456789012345678901234567890123456789012345678901234",
            "--bogus 1",
        ] {
            let err = Config::parse(line).unwrap_err();
            let flag = line.split(' ').next().unwrap();
            let named = match err {
                ConfigError::UnknownFlag(f) | ConfigError::MissingValue(f) => f,
                ConfigError::BadValue { flag, .. } => flag,
            };
            assert_eq!(named, flag, "{line}");
            assert!(!std::format!("{err}").is_empty());
        }
    }
}
