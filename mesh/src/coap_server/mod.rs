//! The node's CoAP endpoint: an actix actor, [`CoapEndpoint`], that owns the
//! UDP socket and the clock and drives the sans-IO [`exchange::ServerCore`]
//! with them. It hands invocations to a [`FunctionService`] (which reports
//! back through a [`ResultSender`]; the core bounds how many are in flight
//! and answers 5.03 beyond that) and forwards Observe notifications from
//! [`CoapServer::notify_result`].
//!
//! The seam: everything protocol-related (which resource a request names,
//! what to answer, retransmission, deduplication, block-wise, Observe) is in
//! `exchange`; this file only moves bytes, time and results between the
//! socket, the core and the service. A new resource (say `/s3/...`) is
//! routed in `ServerCore::handle_request`, by `protocol::coap::Resource`,
//! and reaches a service through a new [`exchange::Output`] variant handled
//! in [`CoapEndpoint::flush`].
//!
//! ## Actor layout
//!
//! The endpoint runs on its own thread: an actix `Arbiter` of the current
//! `System` when there is one (the node), or a `System` of its own (tests,
//! benchmarks, any plain tokio caller). Its context polls two streams, so
//! there is no task per datagram and no task per invocation:
//!
//! * [`Readable`]: the socket became readable. The handler then receives
//!   datagrams without waiting (`try_recv_from`) into one reused buffer, up
//!   to [`RECEIVE_BATCH`] at a time, feeding each to the core.
//! * the endpoint's event channel (see [`Inbox`]): results the core must
//!   answer itself ([`ResultSender`], sent from whatever thread finished
//!   the invocation, typically an executor thread), Observe notifications
//!   while something is observed ([`CoapServer::notify_result`]) and the
//!   mesh driver's datagrams.
//!
//! A result that fits one datagram is answered by the thread that finished
//! the invocation, from a clone of the socket ([`exchange::DirectAnswer`]);
//! the endpoint only gets a record of it through the inbox's backlog, which
//! does not wake it: it takes the backlog first on every wake-up. So a warm
//! invocation costs the endpoint one receive and one hand-off to the
//! executor, and no wake-up of its own for the answer.
//!
//! After each batch the core's outputs are flushed (datagrams sent at once
//! with `try_send_to`, invocations handed to the service) and one timer is
//! (re-)armed for the core's next deadline. Stopping: [`CoapServer::shutdown`]
//! or dropping every [`CoapServer`] handle sends the actor a [`Stop`]; the
//! socket and its clone close when the actor stops.

pub mod exchange;

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::task::Poll;
use std::time::Instant;

use actix::prelude::*;
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

pub use exchange::{
    Answered, DirectAnswer, EXECUTED_ON_OPTION, InvocationId, InvokeResult, MESH_STATUS_SEGMENT,
    MeshResources, Output, ServerConfig, ServerCore, discovery_document,
};

/// Most datagrams received (or events handled) per wake-up of the
/// endpoint, so timers and the other stream are not starved.
pub const RECEIVE_BATCH: usize = 64;

/// The backlog (see [`Inbox`]) wakes the endpoint when it reaches this
/// many events, which bounds it when no datagram arrives for a while.
pub const BACKLOG_WAKE_AT: usize = 256;

/// One invocation the endpoint asks its service for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeRequest {
    /// Function name.
    pub function: String,
    /// Version or alias.
    pub qualifier: Option<String>,
    /// The JSON event (already checked to be JSON).
    pub payload: Vec<u8>,
}

/// What the CoAP endpoint needs from the node.
pub trait FunctionService: Send + Sync + 'static {
    /// Start invoking `request`; report its result through `reply`, from
    /// any thread, now or later. Must not block: the endpoint calls it on
    /// its own thread (the node hands the run to its executor pool). A
    /// `reply` dropped unsent, or a panic here, answers 5.00.
    fn invoke(&self, request: InvokeRequest, reply: ResultSender);
    /// Names of the functions this node serves (for /.well-known/core).
    fn functions(&self) -> Vec<String>;
}

/// What reaches the endpoint from other threads (see [`Inbox`]).
enum Event {
    /// An invocation's result, for the core to answer.
    Completed(InvocationId, InvokeResult),
    /// An invocation answered directly (see [`DirectAnswer`]); `sent` is
    /// false if the socket's send buffer was full.
    Answered {
        answered: Answered,
        sent: bool,
    },
    Notify {
        function: String,
        json: Vec<u8>,
    },
    /// A datagram from the mesh driver.
    Datagram {
        to: SocketAddr,
        bytes: Vec<u8>,
    },
    /// Nothing but a wake-up: the backlog is long.
    Wake,
}

/// How other threads reach the endpoint. Two ways in:
///
/// * the event channel, which wakes the endpoint: for what must happen now
///   (a result the core must answer, a notification to observers, a mesh
///   datagram);
/// * the backlog, which does not: for bookkeeping that may wait for the
///   endpoint's next wake-up (the record of an invocation answered
///   directly, the last result of a function nobody observes). The
///   endpoint takes the whole backlog before anything else on every
///   wake-up (a datagram, an event, its timer), so a duplicate request or
///   an Observe registration always sees the records made before it
///   arrived. It wakes the endpoint itself once it holds
///   [`BACKLOG_WAKE_AT`] events, and holds at most one record per
///   invocation in flight besides.
///
/// Besides, the socket (a clone of the endpoint's) for direct answers,
/// closed when the endpoint stops.
struct Inbox {
    socket: RwLock<Option<std::net::UdpSocket>>,
    events: mpsc::UnboundedSender<Event>,
    backlog: Mutex<Backlog>,
}

#[derive(Default)]
struct Backlog {
    events: Vec<Event>,
    /// Observe registrations in the core, as the endpoint last published
    /// them: with none, notifications need not wake the endpoint.
    observers: usize,
}

impl Inbox {
    fn backlog(&self) -> MutexGuard<'_, Backlog> {
        // Nothing panics while holding it: a poisoned lock is still sound.
        self.backlog.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Hand `event` over, waking the endpoint.
    fn wake(&self, event: Event) {
        let _ = self.events.send(event);
    }

    /// Hand `event` over without waking the endpoint (unless the backlog
    /// is long).
    fn defer(&self, event: Event) {
        let mut backlog = self.backlog();
        backlog.events.push(event);
        let long = backlog.events.len() == BACKLOG_WAKE_AT;
        drop(backlog);
        if long {
            self.wake(Event::Wake);
        }
    }

    /// A notification: deferred while nobody observes anything.
    fn notify(&self, event: Event) {
        let mut backlog = self.backlog();
        if backlog.observers == 0 {
            backlog.events.push(event);
            let long = backlog.events.len() == BACKLOG_WAKE_AT;
            drop(backlog);
            if long {
                self.wake(Event::Wake);
            }
        } else {
            drop(backlog);
            self.wake(event);
        }
    }
}

/// Reports one invocation's result, exactly once: if it is dropped unsent
/// (the service failed or panicked), the client gets a 5.00 and the
/// in-flight slot is freed.
///
/// A result that fits one datagram, while the exchange is still open for
/// a piggybacked (or non-confirmable) response, is answered right here, on
/// the calling thread, from a clone of the endpoint's socket, and the
/// endpoint gets only a record of it without being woken (see
/// [`DirectAnswer`] and [`Inbox`]). Anything else goes to the endpoint.
pub struct ResultSender {
    answer: DirectAnswer,
    inbox: Option<Arc<Inbox>>,
}

impl ResultSender {
    /// Report `result`. Does nothing if the endpoint has stopped.
    pub fn send(mut self, result: InvokeResult) {
        self.finish(result);
    }

    fn finish(&mut self, result: InvokeResult) {
        let Some(inbox) = self.inbox.take() else {
            return;
        };
        let socket = inbox.socket.read().unwrap_or_else(PoisonError::into_inner);
        let answered = match socket.as_ref() {
            Some(socket) => self
                .answer
                .answer(&result)
                .map(|answered| (socket.send_to(&answered.bytes, answered.peer), answered)),
            None => None, // the endpoint stopped
        };
        drop(socket);
        let Some((sent, answered)) = answered else {
            inbox.wake(Event::Completed(self.answer.id(), result));
            return;
        };
        match sent {
            Ok(_) => inbox.defer(Event::Answered {
                answered,
                sent: true,
            }),
            // The send buffer is full: the endpoint sends it.
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => inbox.wake(Event::Answered {
                answered,
                sent: false,
            }),
            Err(error) => {
                // As for the endpoint's own sends: the client retransmits.
                tracing::debug!(peer = %answered.peer, %error, "CoAP send failed");
                inbox.defer(Event::Answered {
                    answered,
                    sent: true,
                });
            }
        }
    }
}

impl Drop for ResultSender {
    fn drop(&mut self) {
        if self.inbox.is_some() {
            self.finish(InvokeResult::Internal(
                "the function service failed without a result".to_string(),
            ));
        }
    }
}

/// Ask the endpoint to stop (its socket closes).
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct Stop;

/// Handle to a running CoAP endpoint. Cloning shares the endpoint; it stops
/// when [`CoapServer::shutdown`] is called or every handle is dropped.
#[derive(Clone)]
pub struct CoapServer {
    local_addr: SocketAddr,
    endpoint: Addr<CoapEndpoint>,
    inbox: Arc<Inbox>,
    _guard: Arc<ShutdownGuard>,
}

struct ShutdownGuard(Addr<CoapEndpoint>);

impl Drop for ShutdownGuard {
    fn drop(&mut self) {
        self.0.do_send(Stop);
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
        config: ServerConfig,
    ) -> std::io::Result<CoapServer> {
        Self::start_with_mesh(bind, service, config, None).await
    }

    /// Bind `bind` and serve with `config`, plus the mesh driver's
    /// resources (`/gossip`, `GET /mesh`) if `mesh` is given.
    pub async fn start_with_mesh(
        bind: SocketAddr,
        service: Arc<dyn FunctionService>,
        mut config: ServerConfig,
        mesh: Option<Arc<dyn MeshResources>>,
    ) -> std::io::Result<CoapServer> {
        let socket = std::net::UdpSocket::bind(bind)?;
        socket.set_nonblocking(true)?;
        let local_addr = socket.local_addr()?;
        if config.seed == ServerConfig::default().seed {
            config.seed = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                ^ u64::from(local_addr.port());
        }
        let (events, events_rx) = mpsc::unbounded_channel();
        let inbox = Arc::new(Inbox {
            socket: RwLock::new(Some(socket.try_clone()?)),
            events,
            backlog: Mutex::new(Backlog::default()),
        });
        let mut core = ServerCore::new(config);
        if let Some(mesh) = mesh {
            core.set_mesh(mesh);
        }
        let parts = EndpointParts {
            socket,
            service,
            core,
            inbox: Arc::clone(&inbox),
            events_rx,
        };
        let endpoint = spawn_endpoint(parts).await?;
        tracing::info!(%local_addr, "CoAP endpoint listening");
        Ok(CoapServer {
            local_addr,
            endpoint: endpoint.clone(),
            inbox,
            _guard: Arc::new(ShutdownGuard(endpoint)),
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The endpoint actor.
    pub fn endpoint(&self) -> &Addr<CoapEndpoint> {
        &self.endpoint
    }

    /// Tell Observe subscribers of `function` about a new result (call after
    /// every invocation, from any thread and any path). Cheap: one push on
    /// the endpoint's backlog while nothing is observed (the endpoint only
    /// remembers it as the function's last result, for a later Observe
    /// GET, when it next wakes up), otherwise one channel push that wakes
    /// the endpoint. The endpoint handles notifications in batches, in
    /// order. The channel holds at most one entry per finished invocation
    /// not yet seen by the endpoint, so it is bounded by the executor's
    /// capacity as long as the endpoint keeps up.
    pub fn notify_result(&self, function: &str, json: &[u8]) {
        self.inbox.notify(Event::Notify {
            function: function.to_string(),
            json: json.to_vec(),
        });
    }

    /// Send one datagram (the mesh driver's CoAP messages) from the
    /// endpoint's socket. Cheap: one channel push.
    pub fn send_datagram(&self, to: SocketAddr, bytes: Vec<u8>) {
        self.inbox.wake(Event::Datagram { to, bytes });
    }

    /// Stop serving (the socket closes once the actor sees this).
    pub fn shutdown(&self) {
        self.endpoint.do_send(Stop);
    }
}

/// What the endpoint actor is built from, on its own thread.
struct EndpointParts {
    socket: std::net::UdpSocket,
    service: Arc<dyn FunctionService>,
    core: ServerCore,
    inbox: Arc<Inbox>,
    events_rx: mpsc::UnboundedReceiver<Event>,
}

/// Where the endpoint's thread came from: what to stop when it stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Home {
    /// An arbiter added to the caller's actix system.
    Arbiter,
    /// A system of its own.
    System,
}

/// Start the actor on a thread of its own (see the module docs).
async fn spawn_endpoint(parts: EndpointParts) -> std::io::Result<Addr<CoapEndpoint>> {
    let (started_tx, started_rx) = oneshot::channel();
    let start = move |home: Home| {
        let result = CoapEndpoint::new(parts, home).map(Actor::start);
        let _ = started_tx.send(result);
    };
    if System::try_current().is_some() {
        let arbiter = Arbiter::new();
        if !arbiter.spawn_fn(move || start(Home::Arbiter)) {
            return Err(std::io::Error::other("the CoAP arbiter did not start"));
        }
    } else {
        std::thread::Builder::new()
            .name("nanolambda-coap".into())
            .spawn(move || {
                let system = System::new();
                system.block_on(async move { start(Home::System) });
                if let Err(error) = system.run() {
                    tracing::error!(%error, "the CoAP endpoint's system failed");
                }
            })?;
    }
    started_rx
        .await
        .map_err(|_| std::io::Error::other("the CoAP endpoint thread exited"))?
}

/// The CoAP endpoint actor (see the module docs).
pub struct CoapEndpoint {
    socket: Arc<UdpSocket>,
    service: Arc<dyn FunctionService>,
    core: ServerCore,
    /// Handed to every [`ResultSender`].
    inbox: Arc<Inbox>,
    /// Taken by `started` and polled as a stream.
    events_rx: Option<mpsc::UnboundedReceiver<Event>>,
    /// The backlog taken in one go (its buffer is swapped with the
    /// backlog's, so neither side allocates in the steady state).
    taken: Vec<Event>,
    /// The observer count last published to the inbox.
    published_observers: usize,
    /// One receive buffer, reused for every datagram.
    buf: Box<[u8]>,
    /// The armed timer: its deadline and handle.
    timer: Option<(Instant, SpawnHandle)>,
    home: Home,
    /// The `/s3/...` service, whose requests run on the blocking pool.
    s3: Option<Arc<crate::s3::coap::CoapS3>>,
}

impl CoapEndpoint {
    fn new(parts: EndpointParts, home: Home) -> std::io::Result<CoapEndpoint> {
        let s3 = parts.core.config().s3.clone();
        Ok(CoapEndpoint {
            socket: Arc::new(UdpSocket::from_std(parts.socket)?),
            service: parts.service,
            core: parts.core,
            inbox: parts.inbox,
            events_rx: Some(parts.events_rx),
            taken: Vec::new(),
            published_observers: 0,
            buf: vec![0u8; 65536].into_boxed_slice(),
            timer: None,
            home,
            s3,
        })
    }

    /// Handle everything in the backlog (see [`Inbox`]).
    fn take_backlog(&mut self, now: Instant) {
        {
            let mut backlog = self.inbox.backlog();
            if backlog.events.is_empty() {
                return;
            }
            std::mem::swap(&mut backlog.events, &mut self.taken);
        }
        let mut taken = std::mem::take(&mut self.taken);
        for event in taken.drain(..) {
            self.handle_event(now, event);
        }
        self.taken = taken;
    }

    /// Carry out everything the core asked for, publish the observer
    /// count, then arm the timer.
    fn flush(&mut self, ctx: &mut Context<Self>) {
        loop {
            self.flush_outputs();
            let observers = self.core.observer_count();
            if observers == self.published_observers {
                break;
            }
            self.published_observers = observers;
            self.inbox.backlog().observers = observers;
            // Notifications deferred while nobody was observing go out now.
            self.take_backlog(Instant::now());
        }
        self.arm_timer(ctx);
    }

    fn flush_outputs(&mut self) {
        while let Some(output) = self.core.poll_output() {
            match output {
                Output::Transmit { to, bytes } => self.transmit(to, bytes),
                Output::S3 { call, answer } => {
                    let reply = ResultSender {
                        answer,
                        inbox: Some(Arc::clone(&self.inbox)),
                    };
                    // The core hands out S3 requests only with a service.
                    let Some(s3) = self.s3.clone() else {
                        continue;
                    };
                    // Reads, writes and fsyncs off the endpoint's thread;
                    // the answer goes out like an invocation's (dropping
                    // `reply` unsent answers 5.00).
                    tokio::task::spawn_blocking(move || {
                        reply.send(InvokeResult::Reply(call.serve(&s3)));
                    });
                }
                Output::Invoke {
                    id: _,
                    function,
                    qualifier,
                    payload,
                    answer,
                } => {
                    let reply = ResultSender {
                        answer,
                        inbox: Some(Arc::clone(&self.inbox)),
                    };
                    let request = InvokeRequest {
                        function,
                        qualifier,
                        payload,
                    };
                    let service = &self.service;
                    // A panicking service drops `reply` while unwinding,
                    // which answers 5.00.
                    let invoked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        service.invoke(request, reply);
                    }));
                    if invoked.is_err() {
                        tracing::error!("the function service panicked");
                    }
                }
            }
        }
    }

    fn transmit(&self, to: SocketAddr, bytes: Vec<u8>) {
        match self.socket.try_send_to(&bytes, to) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                // The send buffer is full: wait for it off the hot path.
                let socket = Arc::clone(&self.socket);
                actix_rt::spawn(async move {
                    if let Err(error) = socket.send_to(&bytes, to).await {
                        tracing::debug!(%to, %error, "CoAP send failed");
                    }
                });
            }
            Err(error) => tracing::debug!(%to, %error, "CoAP send failed"),
        }
    }

    /// Make sure a timer fires by the core's next deadline. A timer already
    /// armed for an earlier (or the same) time is kept: firing early only
    /// costs a no-op `handle_timeout` and a re-arm.
    fn arm_timer(&mut self, ctx: &mut Context<Self>) {
        let Some(deadline) = self.core.poll_timeout() else {
            return;
        };
        if let Some((armed, handle)) = self.timer {
            if armed <= deadline {
                return;
            }
            ctx.cancel_future(handle);
        }
        let delay = deadline.saturating_duration_since(Instant::now());
        let handle = ctx.run_later(delay, |endpoint, ctx| {
            endpoint.timer = None;
            let now = Instant::now();
            endpoint.take_backlog(now);
            endpoint.core.handle_timeout(now);
            endpoint.flush(ctx);
        });
        self.timer = Some((deadline, handle));
    }

    fn handle_event(&mut self, now: Instant, event: Event) {
        match event {
            Event::Completed(id, result) => self.core.complete_invocation(now, id, result),
            Event::Answered { answered, sent } => self.core.answered(answered, sent),
            Event::Notify { function, json } => self.core.notify_result(now, &function, &json),
            Event::Datagram { to, bytes } => self.transmit(to, bytes),
            Event::Wake => {}
        }
    }
}

impl Actor for CoapEndpoint {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        ctx.add_stream(Readable(Arc::clone(&self.socket)));
        if let Some(events) = self.events_rx.take() {
            ctx.add_stream(Events(events));
        }
    }

    fn stopped(&mut self, _: &mut Context<Self>) {
        tracing::info!("CoAP endpoint stopped");
        // Close the direct answers' clone of the socket too.
        *self
            .inbox
            .socket
            .write()
            .unwrap_or_else(PoisonError::into_inner) = None;
        match self.home {
            Home::Arbiter => {
                Arbiter::current().stop();
            }
            Home::System => System::current().stop(),
        }
    }
}

impl Handler<Stop> for CoapEndpoint {
    type Result = ();

    fn handle(&mut self, _: Stop, ctx: &mut Context<Self>) {
        ctx.stop();
    }
}

/// Yields once each time the socket becomes readable (or fails, which ends
/// the stream and stops the endpoint).
struct Readable(Arc<UdpSocket>);

/// The socket is readable.
struct SocketReadable;

impl Stream for Readable {
    type Item = SocketReadable;

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Self::Item>> {
        match self.0.poll_recv_ready(cx) {
            Poll::Ready(Ok(())) => Poll::Ready(Some(SocketReadable)),
            Poll::Ready(Err(error)) => {
                tracing::error!(%error, "the CoAP socket failed");
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl StreamHandler<SocketReadable> for CoapEndpoint {
    fn handle(&mut self, _: SocketReadable, ctx: &mut Context<Self>) {
        let now = Instant::now();
        self.take_backlog(now);
        let functions_of = || self.service.functions();
        for _ in 0..RECEIVE_BATCH {
            match self.socket.try_recv_from(&mut self.buf) {
                Ok((len, from)) => {
                    let datagram = self.buf.get(..len).unwrap_or_default();
                    self.core
                        .handle_datagram(now, from, datagram, &functions_of);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                // ICMP port unreachable and the like surface here on some
                // platforms; they concern one peer, not the endpoint.
                Err(error) => tracing::debug!(%error, "CoAP recv error"),
            }
        }
        self.flush(ctx);
    }

    fn finished(&mut self, ctx: &mut Context<Self>) {
        ctx.stop();
    }
}

/// The endpoint's event channel as a stream of batches: everything queued
/// when it is polled, up to [`RECEIVE_BATCH`] events.
struct Events(mpsc::UnboundedReceiver<Event>);

/// Events taken from the channel in one go.
struct EventBatch(Vec<Event>);

impl Stream for Events {
    type Item = EventBatch;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Self::Item>> {
        let mut batch = Vec::new();
        match self.0.poll_recv_many(cx, &mut batch, RECEIVE_BATCH) {
            Poll::Ready(0) => Poll::Ready(None),
            Poll::Ready(_) => Poll::Ready(Some(EventBatch(batch))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl StreamHandler<EventBatch> for CoapEndpoint {
    fn handle(&mut self, batch: EventBatch, ctx: &mut Context<Self>) {
        let now = Instant::now();
        self.take_backlog(now);
        for event in batch.0 {
            self.handle_event(now, event);
        }
        self.flush(ctx);
    }

    /// The channel never closes while the endpoint holds a sender.
    fn finished(&mut self, _: &mut Context<Self>) {}
}
