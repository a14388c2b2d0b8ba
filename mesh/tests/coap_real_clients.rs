//! The CoAP endpoint driven by real third-party clients: libcoap's
//! `coap-client-notls` (Debian libcoap3-bin) and `aiocoap-client` (PyPI
//! aiocoap). A test is skipped, loudly, only when its tool is absent.

mod coap_support;

use std::future::Future;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use coap_support::{big_json, start, tool_or_skip, url};
use nanolambda_mesh::coap_client;

/// Run `program args` off the async threads.
fn run(program: &Path, args: Vec<String>) -> impl Future<Output = Output> + Send + 'static {
    let program = program.to_path_buf();
    async move {
        tokio::task::spawn_blocking(move || {
            Command::new(&program)
                .args(&args)
                .env("PYTHONUNBUFFERED", "1")
                .stdin(Stdio::null())
                .output()
                .expect("run CoAP client tool")
        })
        .await
        .unwrap()
    }
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------
// libcoap
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libcoap_invoke_discovery_and_errors() {
    let Some(tool) = tool_or_skip("coap-client-notls") else {
        return;
    };
    let (server, _service) = start().await;
    let addr = server.local_addr();

    let out = run(
        &tool,
        args(&[
            "-m",
            "post",
            "-t",
            "50",
            "-B",
            "10",
            "-e",
            r#"{"values":[1,2,3]}"#,
            &url(addr, "/fn/sum"),
        ]),
    )
    .await;
    assert_eq!(
        text(&out.stdout).trim(),
        r#"{"sum":6}"#,
        "stderr: {}",
        text(&out.stderr)
    );

    let out = run(&tool, args(&["-B", "10", &url(addr, "/.well-known/core")])).await;
    let doc = text(&out.stdout);
    assert!(doc.contains(r#"</fn/sum>;rt="nanolambda.fn""#), "{doc}");
    assert_eq!(
        coap_client::function_names(doc.trim()),
        ["echo", "sum", "slow", "fail", "busy"]
    );

    let out = run(
        &tool,
        args(&[
            "-m",
            "post",
            "-t",
            "50",
            "-B",
            "10",
            "-e",
            "{}",
            &url(addr, "/fn/missing"),
        ]),
    )
    .await;
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(all.contains("4.04"), "{all}");

    let out = run(
        &tool,
        args(&[
            "-m",
            "post",
            "-t",
            "50",
            "-B",
            "10",
            "-e",
            "{}",
            &url(addr, "/fn/fail"),
        ]),
    )
    .await;
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(
        all.contains("5.00") && all.contains("ZeroDivisionError"),
        "{all}"
    );

    // Non-confirmable request.
    let out = run(
        &tool,
        args(&[
            "-N",
            "-m",
            "post",
            "-t",
            "50",
            "-B",
            "10",
            "-e",
            r#"{"values":[4]}"#,
            &url(addr, "/fn/sum"),
        ]),
    )
    .await;
    assert_eq!(
        text(&out.stdout).trim(),
        r#"{"sum":4}"#,
        "stderr: {}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libcoap_block_wise_10_kb_both_ways() {
    let Some(tool) = tool_or_skip("coap-client-notls") else {
        return;
    };
    let (server, _service) = start().await;
    let payload = big_json(10 * 1024);
    let dir = std::env::temp_dir().join(format!("nanolambda-coap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("libcoap-10k.json");
    std::fs::write(&file, &payload).unwrap();
    let out = run(
        &tool,
        args(&[
            "-m",
            "post",
            "-t",
            "50",
            "-b",
            "1024",
            "-B",
            "20",
            "-f",
            file.to_str().unwrap(),
            &url(server.local_addr(), "/fn/echo"),
        ]),
    )
    .await;
    assert_eq!(
        text(&out.stdout).trim(),
        payload,
        "stderr: {}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libcoap_separate_response_for_slow_function() {
    let Some(tool) = tool_or_skip("coap-client-notls") else {
        return;
    };
    let (server, _service) = start().await;
    let out = run(
        &tool,
        args(&[
            "-m",
            "post",
            "-t",
            "50",
            "-B",
            "20",
            "-e",
            "{}",
            &url(server.local_addr(), "/fn/slow"),
        ]),
    )
    .await;
    assert_eq!(
        text(&out.stdout).trim(),
        r#"{"slow":true}"#,
        "stderr: {}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libcoap_observe_sees_later_results() {
    let Some(tool) = tool_or_skip("coap-client-notls") else {
        return;
    };
    let (server, _service) = start().await;
    let addr = server.local_addr();
    let observer = tokio::spawn(run(
        &tool,
        args(&["-s", "4", "-B", "6", &url(addr, "/fn/echo")]),
    ));
    tokio::time::sleep(Duration::from_millis(1000)).await;
    for i in 0..3 {
        let body = format!("{{\"reading\":{i}}}");
        let r = coap_client::invoke(addr, "echo", body.as_bytes())
            .await
            .unwrap();
        assert_eq!(r.code.to_string(), "2.05");
    }
    let out = observer.await.unwrap();
    let seen = text(&out.stdout);
    for i in 0..3 {
        assert!(
            seen.contains(&format!("{{\"reading\":{i}}}")),
            "{seen} / {}",
            text(&out.stderr)
        );
    }
}

// ---------------------------------------------------------------------------
// aiocoap
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aiocoap_invoke_discovery_block_wise_and_slow() {
    let Some(tool) = tool_or_skip("aiocoap-client") else {
        return;
    };
    let (server, _service) = start().await;
    let addr = server.local_addr();

    let dir = std::env::temp_dir().join(format!("nanolambda-coap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let small = dir.join("aiocoap-small.json");
    std::fs::write(&small, r#"{"values":[10,20]}"#).unwrap();
    let out = run(
        &tool,
        args(&[
            "-m",
            "POST",
            "--content-format",
            "application/json",
            "--payload",
            &format!("@{}", small.display()),
            &url(addr, "/fn/sum"),
        ]),
    )
    .await;
    assert_eq!(
        text(&out.stdout).trim(),
        r#"{"sum":30}"#,
        "stderr: {}",
        text(&out.stderr)
    );

    let out = run(&tool, args(&[&url(addr, "/.well-known/core")])).await;
    let doc = text(&out.stdout);
    assert!(doc.contains("/fn/echo"), "{doc} / {}", text(&out.stderr));

    let payload = big_json(10 * 1024);
    let file = dir.join("aiocoap-10k.json");
    std::fs::write(&file, &payload).unwrap();
    let out = run(
        &tool,
        args(&[
            "-m",
            "POST",
            "--content-format",
            "application/json",
            "--payload",
            &format!("@{}", file.display()),
            &url(addr, "/fn/echo"),
        ]),
    )
    .await;
    assert_eq!(
        text(&out.stdout).trim(),
        payload,
        "stderr: {}",
        text(&out.stderr)
    );

    let out = run(
        &tool,
        args(&[
            "-m",
            "POST",
            "--content-format",
            "application/json",
            "--payload",
            &format!("@{}", small.display()),
            &url(addr, "/fn/slow"),
        ]),
    )
    .await;
    assert_eq!(
        text(&out.stdout).trim(),
        r#"{"slow":true}"#,
        "stderr: {}",
        text(&out.stderr)
    );

    let out = run(
        &tool,
        args(&[
            "-m",
            "POST",
            "--content-format",
            "application/json",
            "--payload",
            &format!("@{}", small.display()),
            &url(addr, "/fn/missing"),
        ]),
    )
    .await;
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(all.contains("4.04") || all.contains("Not Found"), "{all}");
}

/// Collect everything `stream` produces into a shared buffer.
fn collect(
    mut stream: impl std::io::Read + Send + 'static,
) -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    let buffer = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = buffer.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = stream.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    buffer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aiocoap_observe_sees_later_results() {
    let Some(tool) = tool_or_skip("aiocoap-client") else {
        return;
    };
    let (server, _service) = start().await;
    let addr = server.local_addr();
    // aiocoap-client 0.4.17 does not print notifications (aiocoap issue
    // #395, a client-side bug), so the aiocoap library observes through a
    // few lines of Python run by the interpreter next to aiocoap-client.
    let python = tool.with_file_name("python3");
    let script = r#"
import asyncio, sys, aiocoap
async def main():
    ctx = await aiocoap.Context.create_client_context()
    req = ctx.request(aiocoap.Message(code=aiocoap.GET, uri=sys.argv[1], observe=0))
    first = await req.response
    print(first.payload.decode(), flush=True)
    async for note in req.observation:
        print(note.payload.decode(), file=sys.stderr, flush=True)
asyncio.run(main())
"#;
    let mut child = Command::new(&python)
        .args(["-c", script, &url(addr, "/fn/echo")])
        .env("PYTHONUNBUFFERED", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python with aiocoap");
    // The registration's answer goes to stdout, each notification's payload
    // to stderr.
    let stdout = collect(child.stdout.take().expect("piped stdout"));
    let stderr = collect(child.stderr.take().expect("piped stderr"));
    let started = std::time::Instant::now();
    while !text(&stdout.lock().unwrap()).contains("null") {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no registration answer: {} / {}",
            text(&stdout.lock().unwrap()),
            text(&stderr.lock().unwrap())
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for i in 0..3 {
        let body = format!("{{\"reading\":{i}}}");
        let r = coap_client::invoke(addr, "echo", body.as_bytes())
            .await
            .unwrap();
        assert_eq!(r.code.to_string(), "2.05");
    }
    let want: Vec<String> = (0..3).map(|i| format!("{{\"reading\":{i}}}")).collect();
    let started = std::time::Instant::now();
    while !want
        .iter()
        .all(|w| text(&stderr.lock().unwrap()).contains(w.as_str()))
        && started.elapsed() < Duration::from_secs(10)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    let notifications = text(&stderr.lock().unwrap());
    for w in &want {
        assert!(notifications.contains(w.as_str()), "{notifications}");
    }
}
