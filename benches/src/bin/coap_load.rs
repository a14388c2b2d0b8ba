//! Load generator for the CoAP endpoint: warm invocations of a trivial
//! function on loopback, next to a raw UDP echo server measured by the same
//! generator in the same run (issue 4, "Performance").
//!
//! `coap_load [--clients N] [--seconds T] [--threads N] [--rounds R] [--node ADDR] [--function NAME]`
//!
//! With `--rounds R` the whole sequence (echo, in-process, node) is measured
//! R times and the median of the per-round ratios is printed at the end: on
//! a shared machine, a ratio within one round is the figure to trust.
//!
//! The clients run on a tokio runtime of `--threads` threads (default 2).
//! The servers do not share them: the raw echo has an OS thread of its own,
//! the in-process CoAP endpoint (a [`CoapServer`] with a service answering at
//! once, on the endpoint's receiver threads) has threads of its own, and the
//! node (`--node`, see `benches/coap_invoke.sh`) is another process.
//!
//! Each of N clients owns a UDP socket and keeps one request outstanding:
//! it sends a confirmable `POST /fn/<name>` (fresh message ID and token) and
//! waits for the reply. Against the echo server the very same bytes come
//! back; against CoAP servers the reply must be a 2.05 ACK with the same
//! message ID. Reports requests/s and p50/p99 latency per target.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use coap_lite::{MessageClass, MessageType, Packet, ResponseType};
use nanolambda_mesh::coap_server::{
    CoapServer, FunctionService, InvokeRequest, InvokeResult, ResultSender,
};
use nanolambda_mesh::protocol::coap as proto;
use nanolambda_mesh::protocol::message::FunctionName;
use tokio::net::UdpSocket;

struct Trivial;

impl FunctionService for Trivial {
    fn invoke(&self, _request: InvokeRequest, reply: ResultSender) {
        reply.send(InvokeResult::Ok {
            json: b"{\"statusCode\":200,\"body\":\"ok\"}".to_vec(),
            executed_on: "bench".to_string(),
        });
    }

    fn runs_here(&self, _request: &InvokeRequest, _alone: bool) -> bool {
        true
    }

    fn functions(&self) -> Vec<String> {
        vec!["trivial".to_string()]
    }
}

/// The raw UDP echo: a dedicated OS thread with a blocking socket, receive
/// then send back, nothing else. Like the CoAP endpoints it measures
/// against (the in-process one has its own threads, the node its own
/// process), it does not share the load generator's threads.
fn udp_echo() -> std::io::Result<SocketAddr> {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0")?;
    let addr = socket.local_addr()?;
    std::thread::Builder::new()
        .name("udp-echo".into())
        .spawn(move || {
            let mut buf = vec![0u8; 2048];
            loop {
                if let Ok((len, from)) = socket.recv_from(&mut buf) {
                    let _ = socket.send_to(buf.get(..len).unwrap_or_default(), from);
                }
            }
        })?;
    Ok(addr)
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    failures: u64,
}

async fn client(
    target: SocketAddr,
    function: FunctionName,
    coap: bool,
    until: Instant,
    seed: u16,
) -> std::io::Result<Tally> {
    let socket = UdpSocket::bind("127.0.0.1:0").await?;
    socket.connect(target).await?;
    let mut tally = Tally::default();
    let mut message_id = seed.wrapping_mul(7919);
    let mut buf = vec![0u8; 2048];
    while Instant::now() < until {
        message_id = message_id.wrapping_add(1);
        let token = [seed.to_be_bytes(), message_id.to_be_bytes()].concat();
        let Ok(request) = proto::invoke_request_json(message_id, &token, &function, b"{\"n\":1}")
        else {
            return Ok(tally);
        };
        let Ok(bytes) = proto::encode_datagram(&request) else {
            return Ok(tally);
        };
        let start = Instant::now();
        socket.send(&bytes).await?;
        let ok = loop {
            match tokio::time::timeout(Duration::from_secs(2), socket.recv(&mut buf)).await {
                Ok(Ok(len)) => {
                    let reply = buf.get(..len).unwrap_or_default();
                    if !coap {
                        break reply == bytes.as_slice();
                    }
                    let Ok(packet) = Packet::from_bytes(reply) else {
                        continue;
                    };
                    if packet.header.message_id != message_id {
                        continue; // a late reply to an earlier, timed-out request
                    }
                    break packet.header.get_type() == MessageType::Acknowledgement
                        && packet.header.code == MessageClass::Response(ResponseType::Content);
                }
                Ok(Err(_)) | Err(_) => break false,
            }
        };
        if ok {
            tally.latencies.push(start.elapsed());
        } else {
            tally.failures += 1;
        }
    }
    Ok(tally)
}

async fn measure(
    label: &str,
    target: SocketAddr,
    function: &FunctionName,
    coap: bool,
    clients: u16,
    seconds: u64,
) -> f64 {
    // Warm-up.
    let _ = client(
        target,
        function.clone(),
        coap,
        Instant::now() + Duration::from_millis(300),
        1,
    )
    .await;
    let start = Instant::now();
    let until = start + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|i| tokio::spawn(client(target, function.clone(), coap, until, i + 2)))
        .collect();
    let mut all = Tally::default();
    for task in tasks {
        if let Ok(Ok(t)) = task.await {
            all.latencies.extend(t.latencies);
            all.failures += t.failures;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.latencies.sort();
    let pct = |p: f64| {
        let n = all.latencies.len();
        if n == 0 {
            return 0.0;
        }
        let i = ((n as f64 * p).ceil() as usize).clamp(1, n) - 1;
        all.latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e6)
    };
    let rate = all.latencies.len() as f64 / elapsed;
    println!(
        "{label:<28} clients={clients:<4} req/s={rate:>10.0}  p50={:>8.1}us  p99={:>8.1}us  failures={}",
        pct(0.50),
        pct(0.99),
        all.failures
    );
    rate
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let clients: u16 = arg(&args, "--clients", 32);
    let seconds: u64 = arg(&args, "--seconds", 5);
    let threads: usize = arg(&args, "--threads", 2);
    let rounds: u32 = arg(&args, "--rounds", 1);
    let node: Option<SocketAddr> = args
        .iter()
        .position(|a| a == "--node")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok());
    let name: String = arg(&args, "--function", "trivial".to_string());
    let function =
        FunctionName::new(&name).map_err(|_| std::io::Error::other("invalid --function name"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let echo = udp_echo()?;
        let server =
            CoapServer::start("127.0.0.1:0".parse().unwrap_or(echo), Arc::new(Trivial)).await?;
        let trivial = FunctionName::new("trivial").map_err(|_| std::io::Error::other("name"))?;
        let mut ratios = (Vec::new(), Vec::new());
        for round in 1..=rounds {
            if rounds > 1 {
                println!("-- round {round}/{rounds}");
            }
            let raw = measure("raw UDP echo", echo, &trivial, false, clients, seconds).await;
            let coap = measure(
                "CoAP endpoint (in-process)",
                server.local_addr(),
                &trivial,
                true,
                clients,
                seconds,
            )
            .await;
            println!("CoAP / raw UDP echo = {:.1}%", 100.0 * coap / raw.max(1.0));
            ratios.0.push(coap / raw.max(1.0));
            if let Some(node) = node {
                let rate = measure(
                    &format!("node {node} /fn/{name}"),
                    node,
                    &function,
                    true,
                    clients,
                    seconds,
                )
                .await;
                println!("node / raw UDP echo = {:.1}%", 100.0 * rate / raw.max(1.0));
                ratios.1.push(rate / raw.max(1.0));
            }
        }
        if rounds > 1 {
            println!(
                "median over {rounds} rounds: CoAP / raw = {:.1}%{}",
                100.0 * median(&mut ratios.0),
                if ratios.1.is_empty() {
                    String::new()
                } else {
                    format!(", node / raw = {:.1}%", 100.0 * median(&mut ratios.1))
                }
            );
        }
        server.shutdown();
        Ok(())
    })
}
