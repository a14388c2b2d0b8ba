//! The node's CoAP endpoint: a tokio task that owns the UDP socket and the
//! clock and drives the sans-IO [`exchange::ServerCore`] with them. It calls
//! a [`FunctionService`] for invocations (concurrently; the core bounds how
//! many are in flight and answers 5.03 beyond that) and forwards Observe
//! notifications from [`CoapServer::notify_result`].
//!
//! The seam: everything protocol-related is in `exchange`; this file only
//! moves bytes, time and results between the socket, the core and the
//! service. It runs on whatever tokio runtime calls [`CoapServer::start`]
//! (actix's system runtime included).

pub mod exchange;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use tokio::net::UdpSocket;
use tokio::sync::mpsc;

pub use exchange::{
    EXECUTED_ON_OPTION, InvocationId, InvokeResult, Output, ServerConfig, ServerCore,
    discovery_document,
};

/// What the CoAP endpoint needs from the node.
pub trait FunctionService: Send + Sync + 'static {
    /// Invoke `function` (qualifier = version or alias) with a JSON payload.
    fn invoke(
        &self,
        function: String,
        qualifier: Option<String>,
        payload: Vec<u8>,
    ) -> Pin<Box<dyn Future<Output = InvokeResult> + Send>>;
    /// Names of the functions this node serves (for /.well-known/core).
    fn functions(&self) -> Vec<String>;
}

enum Command {
    Notify { function: String, json: Vec<u8> },
    Shutdown,
}

/// Handle to a running CoAP endpoint. Cloning shares the endpoint; it stops
/// when [`CoapServer::shutdown`] is called or every handle is dropped.
#[derive(Clone)]
pub struct CoapServer {
    local_addr: SocketAddr,
    commands: mpsc::UnboundedSender<Command>,
    _guard: Arc<ShutdownGuard>,
}

struct ShutdownGuard(mpsc::UnboundedSender<Command>);

impl Drop for ShutdownGuard {
    fn drop(&mut self) {
        let _ = self.0.send(Command::Shutdown);
    }
}

impl CoapServer {
    /// Bind `bind` and serve with the default [`ServerConfig`].
    pub async fn start(
        bind: SocketAddr,
        service: Arc<dyn FunctionService>,
    ) -> std::io::Result<CoapServer> {
        Self::start_with_config(bind, service, ServerConfig::default()).await
    }

    /// Bind `bind` and serve with `config`.
    pub async fn start_with_config(
        bind: SocketAddr,
        service: Arc<dyn FunctionService>,
        mut config: ServerConfig,
    ) -> std::io::Result<CoapServer> {
        let socket = UdpSocket::bind(bind).await?;
        let local_addr = socket.local_addr()?;
        if config.seed == ServerConfig::default().seed {
            config.seed = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                ^ u64::from(local_addr.port());
        }
        let (commands, command_rx) = mpsc::unbounded_channel();
        tokio::spawn(run(socket, service, ServerCore::new(config), command_rx));
        tracing::info!(%local_addr, "CoAP endpoint listening");
        Ok(CoapServer {
            local_addr,
            commands: commands.clone(),
            _guard: Arc::new(ShutdownGuard(commands)),
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Tell Observe subscribers of `function` about a new result (call after
    /// every invocation, from any path).
    pub fn notify_result(&self, function: &str, json: &[u8]) {
        let _ = self.commands.send(Command::Notify {
            function: function.to_string(),
            json: json.to_vec(),
        });
    }

    /// Stop serving (the socket closes once the task sees this).
    pub fn shutdown(&self) {
        let _ = self.commands.send(Command::Shutdown);
    }
}

/// Most datagrams (or completions) handled per wake-up of the loop.
const RECEIVE_BATCH: usize = 64;

async fn run(
    socket: UdpSocket,
    service: Arc<dyn FunctionService>,
    mut core: ServerCore,
    mut commands: mpsc::UnboundedReceiver<Command>,
) {
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<(InvocationId, InvokeResult)>();
    let mut buf = vec![0u8; 65536];
    let functions_of = {
        let service = service.clone();
        move || service.functions()
    };
    loop {
        let deadline = core.poll_timeout();
        tokio::select! {
            received = socket.recv_from(&mut buf) => match received {
                Ok((len, from)) => {
                    let now = Instant::now();
                    let datagram = buf.get(..len).unwrap_or_default();
                    core.handle_datagram(now, from, datagram, &functions_of);
                    // Drain what else is queued before waking the
                    // select loop again (bounded, to stay fair to timers).
                    for _ in 0..RECEIVE_BATCH {
                        let Ok((len, from)) = socket.try_recv_from(&mut buf) else {
                            break;
                        };
                        let datagram = buf.get(..len).unwrap_or_default();
                        core.handle_datagram(now, from, datagram, &functions_of);
                    }
                }
                // ICMP port unreachable and the like surface here on some
                // platforms; they concern one peer, not the endpoint.
                Err(error) => tracing::debug!(%error, "CoAP recv error"),
            },
            Some((id, result)) = done_rx.recv() => {
                let now = Instant::now();
                core.complete_invocation(now, id, result);
                for _ in 0..RECEIVE_BATCH {
                    let Ok((id, result)) = done_rx.try_recv() else {
                        break;
                    };
                    core.complete_invocation(now, id, result);
                }
            }
            command = commands.recv() => match command {
                Some(Command::Notify { function, json }) => {
                    core.notify_result(Instant::now(), &function, &json);
                }
                Some(Command::Shutdown) | None => break,
            },
            () = sleep_until(deadline) => core.handle_timeout(Instant::now()),
        }
        let mut ready = Vec::new();
        loop {
            let Some(output) = core.poll_output() else {
                if ready.is_empty() {
                    break;
                }
                let now = Instant::now();
                for (id, result) in ready.drain(..) {
                    core.complete_invocation(now, id, result);
                }
                continue;
            };
            match output {
                Output::Transmit { to, bytes } => {
                    let sent = match socket.try_send_to(&bytes, to) {
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                            socket.send_to(&bytes, to).await.map(|_| ())
                        }
                        other => other.map(|_| ()),
                    };
                    if let Err(error) = sent {
                        tracing::debug!(%to, %error, "CoAP send failed");
                    }
                }
                Output::Invoke {
                    id,
                    function,
                    qualifier,
                    payload,
                } => {
                    let mut future = service.invoke(function, qualifier, payload);
                    // A result that is ready at once (a cached or trivial
                    // answer) is taken inline, without a task round trip.
                    // Services must not block inside `poll` (the node hands
                    // work to its executor pool); a panic there is caught.
                    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
                    let first_poll = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        future.as_mut().poll(&mut cx)
                    }));
                    match first_poll {
                        Ok(std::task::Poll::Ready(result)) => {
                            ready.push((id, result));
                            continue;
                        }
                        Ok(std::task::Poll::Pending) => {}
                        Err(_panic) => {
                            ready.push((
                                id,
                                InvokeResult::Internal("the function service panicked".to_string()),
                            ));
                            continue;
                        }
                    }
                    let mut completion = Completion {
                        id,
                        done: Some(done_tx.clone()),
                    };
                    tokio::spawn(async move {
                        let result = future.await;
                        completion.finish(result);
                    });
                }
            }
        }
    }
    tracing::info!("CoAP endpoint stopped");
}

/// Reports an invocation's result exactly once: if the service's future
/// panics or is dropped, the client still gets a 5.00 and the in-flight slot
/// is freed.
struct Completion {
    id: InvocationId,
    done: Option<mpsc::UnboundedSender<(InvocationId, InvokeResult)>>,
}

impl Completion {
    fn finish(&mut self, result: InvokeResult) {
        if let Some(done) = self.done.take() {
            let _ = done.send((self.id, result));
        }
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        self.finish(InvokeResult::Internal(
            "the function service failed without a result".to_string(),
        ));
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await,
        None => std::future::pending().await,
    }
}
