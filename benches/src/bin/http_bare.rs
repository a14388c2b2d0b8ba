//! A bare actix-web server answering the Lambda Invoke path with fixed
//! bytes: the ceiling the node's HTTP `Invoke` is compared against
//! (`benches/http_invoke.sh`).
//!
//! ```text
//! http_bare ADDR        # e.g. 127.0.0.1:18090
//! ```

use actix_web::{App, HttpResponse, HttpServer, web};

async fn invoke() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("X-Amz-Executed-Version", "$LATEST"))
        .body(r#"{"ok": true}"#)
}

fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18090".into());
    actix_rt::System::new().block_on(async move {
        HttpServer::new(|| {
            App::new().route(
                "/2015-03-31/functions/{name}/invocations",
                web::post().to(invoke),
            )
        })
        .bind(addr)?
        .run()
        .await
    })
}
