//! `nanolambda-sensor`: the sensor node on Linux, the same sans-IO
//! [`SensorNode`] the LM3S6965 board runs, over a std UDP socket.
//!
//! ```text
//! nanolambda-sensor --gateway ADDR [--name NAME] [--battery PERCENT] [--capacity-mwh N]
//!                   [--arena-kib N] [--trigger FUNCTION] [--period-ms N] [--placement PREF]
//!                   [--bind ADDR]
//! ```
//! Logs one line per event on stderr. Functions running here reach S3
//! (`boto3.client("s3")`) through the gateway's CoAP `/s3` (the capable
//! node runs with `--coap-s3`). The battery (default 80% of
//! 10,000 mWh) drains by the mesh's model and its charge is gossiped.

use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nanolambda_firmware::protocol::mesh::placement::Preference;
use nanolambda_firmware::protocol::message::{
    FunctionName, NodeId, NodeName, PeerAddr, Percent, PowerSource,
};
use nanolambda_firmware::sensor::std_s3::CoapS3Client;
use nanolambda_firmware::sensor::std_udp::StdDatagrams;
use nanolambda_firmware::sensor::{SensorConfig, SensorNode, Trigger, drive};

const USAGE: &str = "usage: nanolambda-sensor --gateway ADDR [--name NAME] [--battery PERCENT] \
[--capacity-mwh N] [--arena-kib N] [--trigger FUNCTION] [--period-ms N] [--placement PREF] [--bind ADDR]";

struct Args {
    gateway: SocketAddr,
    name: Option<String>,
    battery: u8,
    capacity_mwh: u32,
    arena_kib: usize,
    trigger: Option<String>,
    period_ms: u64,
    placement: Option<String>,
    bind: SocketAddr,
}

fn parse_args() -> Result<Args, String> {
    let mut gateway = None;
    let mut args = Args {
        gateway: SocketAddr::from(([127, 0, 0, 1], 5683)),
        name: None,
        battery: 80,
        capacity_mwh: 10_000,
        arena_kib: 16,
        trigger: None,
        period_ms: 5000,
        placement: None,
        bind: SocketAddr::from(([0, 0, 0, 0], 0)),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.into());
        }
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let bad = |what: &str| format!("{flag}: {what}: {value:?}");
        match flag.as_str() {
            "--gateway" => {
                gateway = Some(
                    value
                        .to_socket_addrs()
                        .ok()
                        .and_then(|mut a| a.next())
                        .ok_or_else(|| bad("not a HOST:PORT address"))?,
                )
            }
            "--name" => args.name = Some(value),
            "--battery" => {
                args.battery = value
                    .parse()
                    .ok()
                    .filter(|p| *p <= 100)
                    .ok_or_else(|| bad("not a percentage 0-100"))?
            }
            "--capacity-mwh" => {
                args.capacity_mwh = value
                    .parse()
                    .ok()
                    .filter(|c| *c >= 1)
                    .ok_or_else(|| bad("not a capacity of at least 1 mWh"))?
            }
            "--arena-kib" => {
                args.arena_kib = value
                    .parse()
                    .ok()
                    .filter(|k| (1..=4096).contains(k))
                    .ok_or_else(|| bad("not a size 1-4096"))?
            }
            "--trigger" => args.trigger = Some(value),
            "--period-ms" => {
                args.period_ms = value
                    .parse()
                    .ok()
                    .filter(|p| *p >= 10)
                    .ok_or_else(|| bad("not a period of at least 10 ms"))?
            }
            "--placement" => args.placement = Some(value),
            "--bind" => args.bind = value.parse().map_err(|_| bad("not an IP:PORT address"))?,
            _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
        }
    }
    args.gateway = gateway.ok_or_else(|| format!("--gateway is required\n{USAGE}"))?;
    Ok(args)
}

fn config(args: &Args) -> Result<SensorConfig, String> {
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| format!("system clock before 1970: {e}"))?;
    // Entropy enough for an id and a gossip seed: clock and process id.
    let seed = (unix.as_nanos() as u64) ^ (u64::from(std::process::id()) << 32);
    let node = NodeId(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let name = match &args.name {
        Some(n) => n.clone(),
        None => format!("sensor-{:08x}", node.0 as u32),
    };
    let name = NodeName::new(&name).map_err(|e| format!("--name: {e}"))?;
    let percent = Percent::new(args.battery).ok_or("--battery above 100")?;
    let trigger = match &args.trigger {
        Some(f) => Some(Trigger {
            function: FunctionName::new(f).map_err(|e| format!("--trigger: {e}"))?,
            period_ms: args.period_ms,
            preference: match &args.placement {
                Some(p) => Preference::parse(p).map_err(|e| format!("--placement: {e}"))?,
                None => Preference::default(),
            },
        }),
        None => None,
    };
    Ok(SensorConfig {
        node,
        name,
        gateway: PeerAddr::from(args.gateway),
        power: PowerSource::Battery {
            percent,
            capacity_mwh: args.capacity_mwh,
        },
        arena_bytes: args.arena_kib * 1024,
        cpu_speed: 100,
        view: 8,
        max_modules: 8,
        max_module_bytes: 64 * 1024,
        module_cache_bytes: 256 * 1024,
        fuel: 50_000_000,
        trigger,
        seed,
        unix_origin_ms: u64::try_from(unix.as_millis()).unwrap_or(u64::MAX),
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let config = match config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut net = match StdDatagrams::bind(args.bind) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("cannot bind {}: {e}", args.bind);
            return ExitCode::FAILURE;
        }
    };
    let local = net
        .local_addr()
        .map_or_else(|_| String::from("?"), |a| a.to_string());
    eprintln!(
        "[sensor] {} node {} on {local}, gateway {}, arena {} KiB, battery {}%: ready",
        config.name, config.node, args.gateway, args.arena_kib, args.battery
    );
    let mut node = SensorNode::new(config);
    // boto3's S3 in functions goes to the gateway's CoAP /s3 (`--coap-s3`).
    match CoapS3Client::new(args.gateway) {
        Ok(client) => node.set_s3_client(Box::new(client)),
        Err(e) => eprintln!("[sensor] no S3 for functions: {e}"),
    }
    let origin = Instant::now();
    let mut buf = vec![0u8; 1500];
    let mut out = Vec::new();
    loop {
        let now = origin.elapsed().as_millis() as u64;
        let next = match drive(&mut node, &mut net, now, &mut buf, &mut out, |e| {
            eprintln!("[sensor] {e}");
        }) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("[sensor] network error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let now = origin.elapsed().as_millis() as u64;
        let wait = next.saturating_sub(now).clamp(1, 200);
        if let Err(e) = net.wait(Duration::from_millis(wait)) {
            eprintln!("[sensor] network error: {e}");
            return ExitCode::FAILURE;
        }
    }
}
