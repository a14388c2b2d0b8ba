//! The mesh's sensor node on the board (`sensor` feature): node-firmware's
//! sans-IO [`SensorNode`] on the CoAP port ([`SENSOR_PORT`]), driven from
//! the main loop, in place of the board's CoAP responder and its JSON
//! heartbeat. Its VM arena comes from the heap
//! (the static arena of `runtime.rs` is not linked with this feature).
//!
//! The trigger's function is the command line's `--trigger`, its period
//! `--period`; the battery starts at `--battery` percent of 1,000 mWh and
//! drains by the mesh's model.

use alloc::vec::Vec;

use cortex_m_semihosting::hprintln;
use embedded_nal::UdpFullStack;
use nanolambda_firmware::protocol::mesh::MeshEvent;
use nanolambda_firmware::protocol::mesh::placement::Preference;
use nanolambda_firmware::protocol::message::{
    FunctionName, NodeId, NodeName, Percent, PowerSource,
};
use nanolambda_firmware::sensor::{SensorConfig, SensorEvent, SensorNode, Trigger, drive};
use nanolambda_lm3s6965::config::Config;
use nanolambda_lm3s6965::sensor_net::{NalDatagrams, SENSOR_PORT, peer_addr};

/// VM arena bytes (the budget: at least 16 KiB).
pub const ARENA_BYTES: usize = 16 * 1024;

/// The node, its socket and its reusable buffers.
pub struct Sensor<S: UdpFullStack> {
    node: SensorNode,
    socket: S::UdpSocket,
    buf: Vec<u8>,
    out: Vec<nanolambda_firmware::sensor::Output>,
}

/// A sensor node joining through the configured gateway, or `None` (logged)
/// without a gateway or a socket.
pub fn start<S: UdpFullStack>(stack: &mut S, config: &Config, seed: u32) -> Option<Sensor<S>> {
    let gateway = config.gateway?;
    let mut socket = stack.socket().ok()?;
    stack.bind(&mut socket, SENSOR_PORT).ok()?;
    let trigger = config
        .trigger
        .as_deref()
        .and_then(|f| FunctionName::new(f).ok())
        .map(|function| Trigger {
            function,
            period_ms: u64::from(config.period_secs.max(1)) * 1000,
            preference: Preference::default(),
        });
    let node = NodeId(u64::from(seed) << 32 | u64::from(seed.rotate_left(13)) | 1);
    let config = SensorConfig {
        node,
        name: NodeName::truncated(&config.name),
        gateway: peer_addr(core::net::SocketAddr::V4(gateway)),
        power: PowerSource::Battery {
            percent: Percent::new(config.battery_percent).unwrap_or(Percent::new(100)?),
            capacity_mwh: 1000,
        },
        arena_bytes: ARENA_BYTES,
        cpu_speed: 100,
        view: 8,
        // Several small modules or one of 12 KiB: the decoded programs
        // live in the heap beside the network buffers (docs/firmware.md).
        max_modules: 4,
        max_module_bytes: 12 * 1024,
        module_cache_bytes: 12 * 1024,
        fuel: 50_000_000,
        trigger,
        seed: u64::from(seed),
        unix_origin_ms: u64::from(seed) * 1000,
    };
    Some(Sensor {
        node: SensorNode::new(config),
        socket,
        buf: alloc::vec![0; nanolambda_firmware::protocol::coap::MAX_RECEIVE_DATAGRAM_BYTES],
        out: Vec::new(),
    })
}

/// Feed received datagrams, run timers, send; events go to semihosting.
pub fn poll<S: UdpFullStack>(sensor: &mut Sensor<S>, stack: &mut S, now_ms: u64) {
    let mut net = NalDatagrams::new(stack, &mut sensor.socket);
    let r = drive(
        &mut sensor.node,
        &mut net,
        now_ms,
        &mut sensor.buf,
        &mut sensor.out,
        log_event,
    );
    if r.is_err() {
        hprintln!("[nanolambda] sensor: network error");
    }
}

/// One semihosting line per event (state changes are frequent: not logged).
fn log_event(e: &SensorEvent) {
    if !matches!(e, SensorEvent::Mesh(MeshEvent::StateChanged(_))) {
        hprintln!("[nanolambda] {}", e);
    }
}
