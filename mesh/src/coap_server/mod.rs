//! The node's CoAP endpoint: receiver threads that own the UDP socket's
//! reading and an actix actor, [`CoapEndpoint`], that owns the clock; both
//! drive the sans-IO [`exchange::ServerCore`] with them (see "Threads"
//! below). It hands invocations to a [`FunctionService`] (which reports
//! back through a [`ResultSender`]; the core bounds how many are in flight
//! and answers 5.03 beyond that) and forwards Observe notifications from
//! [`CoapServer::notify_result`].
//!
//! The seam: everything protocol-related (which resource a request names,
//! what to answer, retransmission, deduplication, block-wise, Observe) is in
//! `exchange`; this file only moves bytes, time and results between the
//! socket, the core and the service. A new resource (say `/s3/...`) is
//! routed in `ServerCore::handle_request`, by `protocol::coap::Resource`,
//! and reaches a service through a new [`exchange::Output`] variant, which
//! receivers hand to the actor (`CoapEndpoint::carry_out`).
//!
//! ## Threads
//!
//! Datagrams are received by a few **receiver threads** (plain OS threads,
//! [`ServerConfig::receivers`] of them), each blocked in `recv_from` on the
//! socket; the kernel hands each datagram to one of them. A receiver runs
//! it to completion: it feeds the datagram to the core (one lock, shared
//! with the actor), sends what the core answers at once, and runs an
//! invocation the core asks for **on its own thread**
//! ([`FunctionService::invoke_here`]), answering the client directly from
//! there (see [`DirectAnswer`]). There is no thread hand-off per request:
//! on the warm path a request costs one `recv_from`, the VM run and one
//! `send_to`, all on one thread, off the async threads.
//!
//! While it runs an invocation, other receivers keep reading the socket.
//! The last one listening runs only invocations the service expects to be
//! quick (the `alone` argument of [`FunctionService::runs_here`]; the
//! node goes by each function's recent run times) and hands the others to
//! the service's pool through the actor ([`FunctionService::invoke`]),
//! whose bounded queue answers 5.03 when full, as does the core beyond
//! `max_in_flight`. So a slow function never leaves the node deaf.
//!
//! The **endpoint actor** ([`CoapEndpoint`], on an actix `Arbiter` of the
//! current `System` when there is one, or on a `System` of its own) owns
//! what is not per-datagram: the core's timer (empty ACKs of slow
//! invocations, retransmissions, expiry), results that come back through
//! the event channel (see [`Inbox`]), Observe notifications, the mesh
//! driver's datagrams, `/s3` requests (run on the blocking pool) and the
//! invocations the receivers hand over. A receiver wakes it only when the
//! core's next deadline moved earlier than the armed timer or the number
//! of observers changed.
//!
//! Both take the inbox's backlog (records of directly answered
//! invocations, last results) before anything else, under the core's
//! lock, so a duplicate request or an Observe registration always sees the
//! records made before it arrived. Stopping: [`CoapServer::shutdown`] or
//! dropping every [`CoapServer`] handle sends the actor a [`Stop`]; the
//! receivers notice within [`RECEIVE_POLL`] and exit, closing their
//! clones of the socket.

pub mod exchange;

use std::net::{SocketAddr, UdpSocket};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::task::Poll;
use std::time::{Duration, Instant};

use actix::prelude::*;
use tokio::sync::{mpsc, oneshot};

pub use exchange::{
    Answered, DirectAnswer, EXECUTED_ON_OPTION, InvocationId, InvokeResult, MESH_STATUS_SEGMENT,
    MeshResources, Output, ServerConfig, ServerCore, discovery_document,
};

/// Most events handled per wake-up of the endpoint actor, so its timer
/// is not starved.
pub const RECEIVE_BATCH: usize = 64;

/// How long a receiver waits in `recv_from` before it checks whether the
/// endpoint has stopped.
pub const RECEIVE_POLL: Duration = Duration::from_millis(100);

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
    /// Whether `request` may run on the calling thread, a receiver thread
    /// of the endpoint (not an async one), with
    /// [`FunctionService::invoke_here`]; otherwise it goes through
    /// [`FunctionService::invoke`] on the endpoint's thread (say, because
    /// it is forwarded to another node).
    ///
    /// `alone`: no other receiver is listening on the socket while this
    /// runs, so say yes only if it is expected to be quick (a slow run
    /// would hold every new request until it ends). The default says no.
    fn runs_here(&self, request: &InvokeRequest, alone: bool) -> bool {
        let _ = (request, alone);
        false
    }
    /// Run `request` to completion on the calling (receiver) thread and
    /// report through `reply` before returning; called only when
    /// [`FunctionService::runs_here`] said yes. A panic here answers 5.00.
    /// The default hands it to [`FunctionService::invoke`].
    fn invoke_here(&self, request: InvokeRequest, reply: ResultSender) {
        self.invoke(request, reply);
    }
    /// Names of the functions this node serves (for /.well-known/core).
    fn functions(&self) -> Vec<String>;
}

/// What reaches the endpoint from other threads (see [`Inbox`]).
enum Event {
    /// An invocation's result, for the core to answer.
    Completed(InvocationId, InvokeResult),
    /// An invocation answered (and sent) directly (see [`DirectAnswer`]).
    Answered(Answered),
    Notify {
        function: String,
        json: Vec<u8>,
    },
    /// A datagram from the mesh driver.
    Datagram {
        to: SocketAddr,
        bytes: Vec<u8>,
    },
    /// Work a receiver hands to the endpoint's thread: an `/s3` request,
    /// or an invocation no receiver could run itself.
    Output(Output),
    /// An invocation a receiver may not run (see
    /// [`FunctionService::runs_here`]).
    Invoke(InvokeRequest, ResultSender),
    /// Nothing but a wake-up: the backlog is long, the timer must be
    /// re-armed earlier, or the observers changed.
    Wake,
}

/// How other threads reach the endpoint. Two ways in:
///
/// * the event channel, which wakes the endpoint actor: for what must
///   happen now (a result the core must answer, a notification to
///   observers, a mesh datagram, work a receiver hands over);
/// * the backlog, which does not: for bookkeeping that may wait for the
///   core's next use (the record of an invocation answered directly, the
///   last result of a function nobody observes). Whoever takes the core's
///   lock (a receiver with a datagram, the actor with an event or its
///   timer) takes the whole backlog into it first, so a duplicate request
///   or an Observe registration always sees the records made before it
///   arrived. It wakes the actor itself once it holds [`BACKLOG_WAKE_AT`]
///   events, and holds at most one record per invocation in flight
///   besides.
///
/// Besides, the socket (a clone of the endpoint's) for direct answers,
/// closed when the endpoint stops.
struct Inbox {
    socket: RwLock<Option<UdpSocket>>,
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
    fn new(answer: DirectAnswer, inbox: &Arc<Inbox>) -> ResultSender {
        ResultSender {
            answer,
            inbox: Some(Arc::clone(inbox)),
        }
    }

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
            Some(socket) => self.answer.answer(&result).inspect(|answered| {
                // Blocking: a full send buffer waits; a failure is logged
                // and the client retransmits.
                send(socket, answered.peer, &answered.bytes);
            }),
            None => None, // the endpoint stopped
        };
        drop(socket);
        match answered {
            Some(answered) => inbox.defer(Event::Answered(answered)),
            None => inbox.wake(Event::Completed(self.answer.id(), result)),
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
        let socket = UdpSocket::bind(bind)?;
        // Receivers block in `recv_from`, waking up every RECEIVE_POLL to
        // see whether the endpoint stopped; sends (from any thread) are
        // blocking too, which for UDP only waits while the send buffer is
        // full.
        socket.set_read_timeout(Some(RECEIVE_POLL))?;
        let local_addr = socket.local_addr()?;
        if config.seed == ServerConfig::default().seed {
            config.seed = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                ^ u64::from(local_addr.port());
        }
        let receivers = config.receivers.max(1);
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
        let shared = Arc::new(Shared {
            state: Mutex::new(CoreState {
                core,
                armed: None,
                published_observers: 0,
                wake_sent: false,
            }),
            service,
            inbox: Arc::clone(&inbox),
            idle_receivers: AtomicUsize::new(receivers),
            stopped: AtomicBool::new(false),
        });
        let parts = EndpointParts {
            socket: socket.try_clone()?,
            shared: Arc::clone(&shared),
            events_rx,
        };
        let endpoint = spawn_endpoint(parts).await?;
        for i in 0..receivers {
            let shared = Arc::clone(&shared);
            let socket = socket.try_clone()?;
            let spawned = std::thread::Builder::new()
                .name(format!("nanolambda-coap-rx-{i}"))
                .spawn(move || receive(&shared, &socket));
            if let Err(error) = spawned {
                endpoint.do_send(Stop);
                return Err(error);
            }
        }
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

/// The core and what its drivers (the actor and the receivers) must agree
/// on, behind one lock.
struct CoreState {
    core: ServerCore,
    /// When the actor's timer fires, if one is armed.
    armed: Option<Instant>,
    /// The observer count last published to the inbox.
    published_observers: usize,
    /// A receiver woke the actor to re-arm its timer or publish the
    /// observers, and the actor has not handled anything since.
    wake_sent: bool,
}

impl CoreState {
    /// Whether the actor must look at the core: its next deadline is
    /// earlier than the armed timer, or the observers changed.
    fn actor_needed(&self) -> bool {
        self.core.observer_count() != self.published_observers
            || self
                .core
                .poll_timeout()
                .is_some_and(|next| self.armed.is_none_or(|armed| next < armed))
    }
}

/// What the actor and the receivers share.
struct Shared {
    state: Mutex<CoreState>,
    service: Arc<dyn FunctionService>,
    inbox: Arc<Inbox>,
    /// Receivers waiting on the socket now.
    idle_receivers: AtomicUsize,
    /// The actor stopped: receivers exit.
    stopped: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, CoreState> {
        // Nothing panics while holding it (the service is called outside
        // it): a poisoned lock still guards a consistent core.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Take the inbox's backlog (see [`Inbox`]) into the core, then the
    /// given `events`. What must run outside the lock lands in `later`.
    fn take_events(
        &self,
        state: &mut CoreState,
        now: Instant,
        taken: &mut Vec<Event>,
        events: impl IntoIterator<Item = Event>,
        later: &mut Vec<Event>,
    ) {
        {
            let mut backlog = self.inbox.backlog();
            std::mem::swap(&mut backlog.events, taken);
        }
        for event in taken.drain(..).chain(events) {
            match event {
                Event::Completed(id, result) => state.core.complete_invocation(now, id, result),
                Event::Answered(answered) => state.core.answered(answered, true),
                Event::Notify { function, json } => state.core.notify_result(now, &function, &json),
                Event::Wake => {}
                event @ (Event::Datagram { .. } | Event::Output(_) | Event::Invoke(..)) => {
                    later.push(event);
                }
            }
        }
    }
}

/// Send one datagram. Errors concern one peer (or mean the node is going
/// down): the client retransmits.
fn send(socket: &UdpSocket, to: SocketAddr, bytes: &[u8]) {
    if let Err(error) = socket.send_to(bytes, to) {
        tracing::debug!(%to, %error, "CoAP send failed");
    }
}

/// A receiver thread (see the module docs): receive, run to completion,
/// repeat, until the endpoint stops.
fn receive(shared: &Shared, socket: &UdpSocket) {
    let mut buf = vec![0u8; 65536];
    let mut taken = Vec::new();
    let mut later = Vec::new();
    let mut outputs = Vec::new();
    let functions_of = || shared.service.functions();
    while !shared.stopped.load(Ordering::Acquire) {
        let (len, from) = match socket.recv_from(&mut buf) {
            Ok(received) => received,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::Interrupted
                ) =>
            {
                continue;
            }
            // ICMP port unreachable and the like surface here on some
            // platforms; they concern one peer, not the endpoint.
            Err(error) => {
                tracing::debug!(%error, "CoAP recv error");
                continue;
            }
        };
        // Whether another receiver still listens while this one works.
        let alone = shared.idle_receivers.fetch_sub(1, Ordering::AcqRel) <= 1;
        let datagram = buf.get(..len).unwrap_or_default();
        // Decoded before the lock is taken, to hold it shorter.
        let decoded = nanolambda_protocol::coap::decode_datagram(datagram);
        let now = Instant::now();
        let wake = {
            let mut state = shared.lock();
            shared.take_events(&mut state, now, &mut taken, [], &mut later);
            state
                .core
                .handle_decoded(now, from, datagram, decoded, &functions_of);
            while let Some(output) = state.core.poll_output() {
                outputs.push(output);
            }
            let wake = !state.wake_sent && state.actor_needed();
            state.wake_sent |= wake;
            wake
        };
        for event in later.drain(..) {
            shared.inbox.wake(event);
        }
        for output in outputs.drain(..) {
            match output {
                Output::Transmit { to, bytes } => send(socket, to, &bytes),
                Output::Invoke {
                    id: _,
                    function,
                    qualifier,
                    payload,
                    answer,
                } => {
                    let request = InvokeRequest {
                        function,
                        qualifier,
                        payload,
                    };
                    let reply = ResultSender::new(answer, &shared.inbox);
                    let service = &shared.service;
                    if !service.runs_here(&request, alone) {
                        shared.inbox.wake(Event::Invoke(request, reply));
                        continue;
                    }
                    // A panicking service drops `reply` while unwinding,
                    // which answers 5.00.
                    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        service.invoke_here(request, reply);
                    }));
                    if ran.is_err() {
                        tracing::error!("the function service panicked");
                    }
                }
                output => shared.inbox.wake(Event::Output(output)),
            }
        }
        shared.idle_receivers.fetch_add(1, Ordering::AcqRel);
        if wake {
            shared.inbox.wake(Event::Wake);
        }
    }
}

/// What the endpoint actor is built from, on its own thread.
struct EndpointParts {
    socket: UdpSocket,
    shared: Arc<Shared>,
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
        let _ = started_tx.send(Ok::<_, std::io::Error>(
            CoapEndpoint::new(parts, home).start(),
        ));
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
    /// A clone of the socket, for what the actor sends.
    socket: UdpSocket,
    shared: Arc<Shared>,
    /// Taken by `started` and polled as a stream.
    events_rx: Option<mpsc::UnboundedReceiver<Event>>,
    /// The backlog taken in one go (its buffer is swapped with the
    /// backlog's, so neither side allocates in the steady state).
    taken: Vec<Event>,
    /// The armed timer.
    timer: Option<SpawnHandle>,
    home: Home,
    /// The `/s3/...` service, whose requests run on the blocking pool.
    s3: Option<Arc<crate::s3::coap::CoapS3>>,
}

impl CoapEndpoint {
    fn new(parts: EndpointParts, home: Home) -> CoapEndpoint {
        let s3 = parts.shared.lock().core.config().s3.clone();
        CoapEndpoint {
            socket: parts.socket,
            shared: parts.shared,
            events_rx: Some(parts.events_rx),
            taken: Vec::new(),
            timer: None,
            home,
            s3,
        }
    }

    /// Handle `events` (after the backlog) and, if `timer_fired`, the
    /// core's timers; carry out what the core asks for, publish the
    /// observer count, then arm the timer.
    fn serve(&mut self, ctx: &mut Context<Self>, events: Vec<Event>, timer_fired: bool) {
        let now = Instant::now();
        let mut events = Some(events);
        let mut timer_fired = timer_fired;
        let mut later = Vec::new();
        loop {
            let republished = {
                let mut state = self.shared.lock();
                state.wake_sent = false;
                let events = events.take().unwrap_or_default();
                self.shared
                    .take_events(&mut state, now, &mut self.taken, events, &mut later);
                if std::mem::take(&mut timer_fired) {
                    state.armed = None;
                    state.core.handle_timeout(now);
                }
                while let Some(output) = state.core.poll_output() {
                    later.push(Event::Output(output));
                }
                let observers = state.core.observer_count();
                let changed = observers != state.published_observers;
                if changed {
                    state.published_observers = observers;
                    self.shared.inbox.backlog().observers = observers;
                }
                changed
            };
            for event in later.drain(..) {
                self.carry_out(event);
            }
            // Notifications deferred while nobody was observing go out now.
            if !republished {
                break;
            }
        }
        self.arm_timer(ctx);
    }

    /// Do what the core (or a receiver) handed over, outside the core's lock.
    fn carry_out(&mut self, event: Event) {
        match event {
            Event::Datagram { to, bytes } | Event::Output(Output::Transmit { to, bytes }) => {
                send(&self.socket, to, &bytes);
            }
            Event::Output(Output::S3 { call, answer }) => {
                let reply = ResultSender::new(answer, &self.shared.inbox);
                // The core hands out S3 requests only with a service.
                let Some(s3) = self.s3.clone() else {
                    return;
                };
                // Reads, writes and fsyncs off the endpoint's thread; the
                // answer goes out like an invocation's (dropping `reply`
                // unsent answers 5.00).
                tokio::task::spawn_blocking(move || {
                    reply.send(InvokeResult::Reply(call.serve(&s3)));
                });
            }
            Event::Output(Output::Invoke {
                id: _,
                function,
                qualifier,
                payload,
                answer,
            }) => {
                let reply = ResultSender::new(answer, &self.shared.inbox);
                let request = InvokeRequest {
                    function,
                    qualifier,
                    payload,
                };
                self.invoke(request, reply);
            }
            Event::Invoke(request, reply) => self.invoke(request, reply),
            Event::Completed(..) | Event::Answered(_) | Event::Notify { .. } | Event::Wake => {}
        }
    }

    fn invoke(&self, request: InvokeRequest, reply: ResultSender) {
        let service = &self.shared.service;
        // A panicking service drops `reply` while unwinding, which
        // answers 5.00.
        let invoked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            service.invoke(request, reply);
        }));
        if invoked.is_err() {
            tracing::error!("the function service panicked");
        }
    }

    /// Make sure a timer fires by the core's next deadline. A timer already
    /// armed for an earlier (or the same) time is kept: firing early only
    /// costs a no-op `handle_timeout` and a re-arm.
    fn arm_timer(&mut self, ctx: &mut Context<Self>) {
        let deadline = {
            let mut state = self.shared.lock();
            match state.core.poll_timeout() {
                Some(next) if state.armed.is_none_or(|armed| next < armed) => {
                    state.armed = Some(next);
                    next
                }
                _ => return,
            }
        };
        if let Some(handle) = self.timer.take() {
            ctx.cancel_future(handle);
        }
        let delay = deadline.saturating_duration_since(Instant::now());
        self.timer = Some(ctx.run_later(delay, |endpoint, ctx| {
            endpoint.timer = None;
            endpoint.serve(ctx, Vec::new(), true);
        }));
    }
}

impl Actor for CoapEndpoint {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        if let Some(events) = self.events_rx.take() {
            ctx.add_stream(Events(events));
        }
    }

    fn stopped(&mut self, _: &mut Context<Self>) {
        tracing::info!("CoAP endpoint stopped");
        self.shared.stopped.store(true, Ordering::Release);
        // Close the direct answers' clone of the socket too.
        *self
            .shared
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
        self.serve(ctx, batch.0, false);
    }

    /// The channel never closes while the endpoint holds a sender.
    fn finished(&mut self, _: &mut Context<Self>) {}
}
