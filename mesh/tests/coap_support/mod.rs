//! Shared by the CoAP integration tests: a test function service, a server
//! started on 127.0.0.1:0, and lookup of the real CoAP client tools.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use nanolambda_mesh::coap_server::{
    CoapServer, FunctionService, InvokeRequest, InvokeResult, ResultSender, ServerConfig,
};

/// Functions: `echo` (returns the event), `sum` (adds `values`), `slow`
/// (1.5 s, then `{"slow":true}`), `fail` (unhandled exception), `busy`
/// (overloaded, retry in 3 s); `panic` (unlisted) panics in the service.
/// Notifies Observe subscribers after each successful invocation, as the
/// node does. Runs invocations on the endpoint's receiver threads
/// (`invoke_here`) unless made `with_run_here(false)`.
pub struct TestService {
    pub server: OnceLock<CoapServer>,
    pub invocations: AtomicUsize,
    /// Invocations run by `invoke_here` (on a receiver thread).
    pub ran_here: AtomicUsize,
    /// Whether `invoke_here` runs invocations or hands them back.
    pub run_here: bool,
}

impl TestService {
    pub fn new() -> Arc<Self> {
        Self::with_run_here(true)
    }

    pub fn with_run_here(run_here: bool) -> Arc<Self> {
        Arc::new(TestService {
            server: OnceLock::new(),
            invocations: AtomicUsize::new(0),
            ran_here: AtomicUsize::new(0),
            run_here,
        })
    }
}

fn run(function: &str, payload: &[u8]) -> InvokeResult {
    let executed_on = "test-node".to_string();
    match function {
        "echo" => InvokeResult::Ok {
            json: payload.to_vec(),
            executed_on,
        },
        "sum" => {
            let value: serde_json::Value = serde_json::from_slice(payload).unwrap_or_default();
            let sum: f64 = value["values"]
                .as_array()
                .map(|a| a.iter().filter_map(serde_json::Value::as_f64).sum())
                .unwrap_or(0.0);
            InvokeResult::Ok {
                json: format!("{{\"sum\":{sum}}}").into_bytes(),
                executed_on,
            }
        }
        "slow" => InvokeResult::Ok {
            json: b"{\"slow\":true}".to_vec(),
            executed_on,
        },
        "fail" => InvokeResult::FunctionError {
            error_json: br#"{"errorType":"ZeroDivisionError","errorMessage":"division by zero","stackTrace":[]}"#.to_vec(),
            executed_on,
        },
        "busy" => InvokeResult::Overloaded {
            retry_after_secs: 3,
        },
        _ => InvokeResult::NotFound,
    }
}

impl FunctionService for TestService {
    fn invoke(&self, request: InvokeRequest, reply: ResultSender) {
        self.invocations.fetch_add(1, Ordering::SeqCst);
        if request.function == "panic" {
            // Not listed by `functions`: a service bug the endpoint survives.
            panic!("the test service panics on purpose");
        }
        let server = self.server.get().cloned();
        let slow = request.function == "slow";
        let finish = move || {
            let result = run(&request.function, &request.payload);
            if let (Some(server), InvokeResult::Ok { json, .. }) = (&server, &result) {
                server.notify_result(&request.function, json);
            }
            reply.send(result);
        };
        if slow {
            // Like the node's executor: the result comes from another thread.
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(1500));
                finish();
            });
        } else {
            finish();
        }
    }

    /// Everything when made to run here, except `slow` for the last
    /// receiver listening.
    fn runs_here(&self, request: &InvokeRequest, alone: bool) -> bool {
        self.run_here && !(alone && request.function == "slow")
    }

    /// As `invoke`, but to completion on the calling receiver thread
    /// (`slow` sleeps right here), as the node runs its functions.
    fn invoke_here(&self, request: InvokeRequest, reply: ResultSender) {
        self.invocations.fetch_add(1, Ordering::SeqCst);
        self.ran_here.fetch_add(1, Ordering::SeqCst);
        if request.function == "panic" {
            panic!("the test service panics on purpose");
        }
        if request.function == "slow" {
            std::thread::sleep(Duration::from_millis(1500));
        }
        let result = run(&request.function, &request.payload);
        if let (Some(server), InvokeResult::Ok { json, .. }) = (self.server.get(), &result) {
            server.notify_result(&request.function, json);
        }
        reply.send(result);
    }

    fn functions(&self) -> Vec<String> {
        ["echo", "sum", "slow", "fail", "busy"]
            .map(String::from)
            .to_vec()
    }
}

/// A server on 127.0.0.1:0 with the test service.
pub async fn start() -> (CoapServer, Arc<TestService>) {
    start_with(TestService::new(), ServerConfig::default()).await
}

/// A server on 127.0.0.1:0 with `service` and `config`.
pub async fn start_with(
    service: Arc<TestService>,
    config: ServerConfig,
) -> (CoapServer, Arc<TestService>) {
    let server =
        CoapServer::start_with_config("127.0.0.1:0".parse().unwrap(), service.clone(), config)
            .await
            .expect("bind CoAP server");
    let _ = service.server.set(server.clone());
    (server, service)
}

/// `name` on PATH or in the repository's `.venv/bin`.
pub fn tool(name: &str) -> Option<PathBuf> {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin");
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([venv])
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The tool, or a loud skip notice.
pub fn tool_or_skip(name: &str) -> Option<PathBuf> {
    let found = tool(name);
    if found.is_none() {
        eprintln!(
            "\n!!!!! SKIPPED: `{name}` not found on PATH or in .venv/bin \
             (install libcoap3-bin / `pip install aiocoap`; CI installs both) !!!!!\n"
        );
    }
    found
}

/// A JSON document of about `len` bytes.
pub fn big_json(len: usize) -> String {
    let mut s = String::from("{\"data\":\"");
    let mut i = 0u32;
    while s.len() < len - 2 {
        s.push(char::from(b'a' + (i % 26) as u8));
        i += 1;
    }
    s.push_str("\"}");
    s
}

pub fn url(addr: SocketAddr, path: &str) -> String {
    format!("coap://{addr}{path}")
}
