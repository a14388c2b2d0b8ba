//! The AWS Lambda API (`/2015-03-31/functions/...`) and the node's own
//! endpoints (`/_nanolambda/...`) on the HTTP endpoint.
//!
//! Handlers stay thin: extract (path, query, headers, JSON body), call the
//! function service, map the result to Lambda's wire shapes ([`shapes`]) or
//! errors ([`error`]). Blocking work (compiling, durable commits) runs on
//! actix's blocking pool; invocations run on the executor pool.

pub mod auth;
pub mod error;
pub mod shapes;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::node::NodeHandle;
use crate::node::actor::GetHealth;
use crate::node::functions::{ConfigUpdate, FunctionSpec, InvokeOutcome};
use auth::LambdaAuth;
use error::ApiError;
use shapes::{
    AliasRequest, CreateFunctionRequest, EventInvokeConfigRequest, ListQuery,
    PublishVersionRequest, UpdateCodeRequest, UpdateConfigRequest, alias_configuration,
    function_configuration, page_size, paginate, parse_function_name,
};

type State = web::Data<NodeHandle>;
type ApiResult = Result<HttpResponse, ApiError>;

/// Register every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let f = "/functions";
    cfg.route("/_nanolambda/health", web::get().to(health))
        .route("/_nanolambda/metrics", web::get().to(metrics))
        .route(
            "/_nanolambda/functions/{name}/code",
            web::get().to(download_code),
        );
    // The Lambda API: every request's SigV4 signature is verified (over the
    // buffered body) before its handler runs; anything else is S3's.
    let lambda = web::scope("/2015-03-31")
        .wrap(actix_web::middleware::from_fn(auth::lambda_middleware))
        .route(f, web::post().to(create_function))
        .route(f, web::get().to(list_functions))
        .route(&format!("{f}/"), web::get().to(list_functions))
        .route(&format!("{f}/{{name}}"), web::get().to(get_function))
        .route(&format!("{f}/{{name}}"), web::delete().to(delete_function))
        .route(
            &format!("{f}/{{name}}/configuration"),
            web::get().to(get_configuration),
        )
        .route(
            &format!("{f}/{{name}}/configuration"),
            web::put().to(update_configuration),
        )
        .route(&format!("{f}/{{name}}/code"), web::put().to(update_code))
        .route(&format!("{f}/{{name}}/invocations"), web::post().to(invoke))
        .route(
            &format!("{f}/{{name}}/versions"),
            web::post().to(publish_version),
        )
        .route(
            &format!("{f}/{{name}}/versions"),
            web::get().to(list_versions),
        )
        .route(
            &format!("{f}/{{name}}/aliases"),
            web::post().to(create_alias),
        )
        .route(
            &format!("{f}/{{name}}/aliases"),
            web::get().to(list_aliases),
        )
        .route(
            &format!("{f}/{{name}}/aliases/{{alias}}"),
            web::get().to(get_alias),
        )
        .route(
            &format!("{f}/{{name}}/aliases/{{alias}}"),
            web::put().to(update_alias),
        )
        .route(
            &format!("{f}/{{name}}/aliases/{{alias}}"),
            web::delete().to(delete_alias),
        )
        .default_service(web::to(unknown));
    cfg.service(lambda);
    // Asynchronous invocation configuration (its own API version prefix).
    let c = "/functions/{name}/event-invoke-config";
    let event_configs = web::scope("/2019-09-25")
        .wrap(actix_web::middleware::from_fn(auth::lambda_middleware))
        .route(c, web::put().to(write_event_config))
        .route(c, web::post().to(write_event_config))
        .route(c, web::get().to(get_event_config))
        .route(c, web::delete().to(delete_event_config))
        .route(&format!("{c}/list"), web::get().to(list_event_configs))
        .default_service(web::to(unknown));
    cfg.service(event_configs);
    crate::s3::api::configure(cfg);
}

/// Middleware: every response carries an `x-amzn-RequestId` (boto3 reports
/// it as `ResponseMetadata.RequestId`); handlers that made one keep theirs.
pub async fn request_id(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    if !headers.contains_key("x-amzn-requestid")
        && let Ok(v) = actix_web::http::header::HeaderValue::from_str(
            &crate::node::functions::new_request_id(),
        )
    {
        headers.insert(
            actix_web::http::header::HeaderName::from_static("x-amzn-requestid"),
            v,
        );
    }
    Ok(res)
}

async fn unknown(req: HttpRequest) -> ApiResult {
    Err(unsupported_operation(req.method().as_str(), req.path()))
}

/// The Lambda operation AWS serves at `method path`, for the ones this node
/// does not implement (by the routes of the `lambda/2015-03-31` service
/// model), so a client learns which call is missing rather than a bare
/// "no operation".
pub fn lambda_operation_name(method: &str, path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let op = match (method, segments.as_slice()) {
        ("GET", ["2017-03-31", "tags", _]) => "ListTags",
        ("POST", ["2017-03-31", "tags", _]) => "TagResource",
        ("DELETE", ["2017-03-31", "tags", _]) => "UntagResource",
        ("GET", ["2019-09-30", "functions", _, "concurrency"]) => "GetFunctionConcurrency",
        ("PUT", ["2017-10-31", "functions", _, "concurrency"]) => "PutFunctionConcurrency",
        ("DELETE", ["2017-10-31", "functions", _, "concurrency"]) => "DeleteFunctionConcurrency",
        (_, ["2019-09-30", "functions", _, "provisioned-concurrency"]) => {
            "ProvisionedConcurrencyConfig"
        }
        ("GET", ["2016-08-19", "account-settings"]) => "GetAccountSettings",
        ("GET", ["2015-03-31", "functions", _, "policy"]) => "GetPolicy",
        ("POST", ["2015-03-31", "functions", _, "policy"]) => "AddPermission",
        ("DELETE", ["2015-03-31", "functions", _, "policy", _]) => "RemovePermission",
        (_, ["2021-10-31", "functions", _, "url"]) => "FunctionUrlConfig",
        ("GET", ["2021-10-31", "functions", _, "urls"]) => "ListFunctionUrlConfigs",
        (_, ["2019-09-25", "functions", _, "event-invoke-config", ..]) => {
            "FunctionEventInvokeConfig"
        }
        (_, ["2015-03-31", "event-source-mappings", ..]) => "EventSourceMapping",
        (_, ["2018-10-31", "layers", ..]) => "Layer",
        (_, ["2020-04-22", "code-signing-configs", ..]) => "CodeSigningConfig",
        (_, ["2020-06-30", "functions", _, "code-signing-config"]) => "FunctionCodeSigningConfig",
        (_, ["2021-07-20", "functions", _, "runtime-management-config"]) => {
            "RuntimeManagementConfig"
        }
        (
            _,
            [
                "2021-11-15",
                "functions",
                _,
                "response-streaming-invocations",
            ],
        ) => "InvokeWithResponseStream",
        (_, ["2014-11-13", "functions", _, "invoke-async"]) => "InvokeAsync",
        (_, ["2015-03-31", "functions", _, "recursion-config"])
        | (_, ["2024-08-31", "functions", _, "recursion-config"]) => "FunctionRecursionConfig",
        _ => return None,
    };
    Some(op)
}

/// The error for a request no route serves: it names the Lambda operation
/// when the path is one AWS serves (see [`lambda_operation_name`]).
pub fn unsupported_operation(method: &str, path: &str) -> ApiError {
    let message = match lambda_operation_name(method, path) {
        Some(op) => format!(
            "nanolambda does not implement the Lambda operation {op} ({method} {path}); \
             docs/node.md lists the operations it serves"
        ),
        None => format!("no operation at {method} {path}"),
    };
    ApiError::new(StatusCode::NOT_FOUND, "UnknownOperationException", message)
}

/// Run blocking domain work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, crate::node::functions::ServiceError> + Send + 'static,
) -> Result<T, ApiError> {
    match web::block(f).await {
        Ok(r) => r.map_err(ApiError::from),
        Err(e) => Err(ApiError::internal(format!("blocking task failed: {e}"))),
    }
}

fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| ApiError::serialization(e.to_string()))
}

fn decode_zip(b64: Option<&str>) -> Result<Vec<u8>, ApiError> {
    let b64 = b64.ok_or_else(|| {
        ApiError::invalid("Code.ZipFile is required (S3 and image packages are not supported yet)")
    })?;
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| ApiError::invalid(format!("ZipFile is not valid base64: {e}")))
}

/// The function name from the path and the qualifier from `name:q` or `?Qualifier=`.
fn target(raw: &str, query: &ListQuery) -> Result<(String, Option<String>), ApiError> {
    let (name, q) = parse_function_name(raw);
    match (q, query.qualifier.clone()) {
        (Some(a), Some(b)) if a != b => Err(ApiError::invalid(format!(
            "The derived qualifier from the function name does not match the specified qualifier ({a} vs {b})"
        ))),
        (a, b) => Ok((name, a.or(b))),
    }
}

fn created(v: serde_json::Value) -> HttpResponse {
    HttpResponse::Created().json(v)
}

async fn health(state: State) -> ApiResult {
    let h = state
        .node
        .send(GetHealth)
        .await
        .map_err(|e| ApiError::internal(format!("node actor: {e}")))?;
    Ok(HttpResponse::Ok().json(h))
}

async fn metrics(state: State) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.functions.render_metrics())
}

/// How long a `Code.Location` link from `GetFunction` stays valid (AWS's
/// presigned links last 10 minutes).
const CODE_LINK_SECS: u64 = 600;

/// The key `Code.Location` links are signed with: random per process, so a
/// link dies with the node that made it (or after [`CODE_LINK_SECS`]).
fn code_link_key() -> &'static [u8; 32] {
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        let mut key = [0u8; 32];
        if getrandom::fill(&mut key).is_err() {
            // No OS randomness: a key nobody can guess from outside still
            // beats none (the process id and the clock).
            let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
            key = auth::hmac_sha256(seed.as_bytes(), b"nanolambda code links");
        }
        key
    })
}

fn code_link_signature(name: &str, version: &str, expires: u64) -> String {
    auth::hex(&auth::hmac_sha256(
        code_link_key(),
        format!("{name}\n{version}\n{expires}").as_bytes(),
    ))
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The presigned `Code.Location` of a function version: the package can be
/// downloaded without credentials for [`CODE_LINK_SECS`], as from the S3
/// link AWS hands out, and not otherwise.
fn code_location(host: &str, name: &str, version: &str) -> String {
    let expires = unix_now() + CODE_LINK_SECS;
    let signature = code_link_signature(name, version, expires);
    let q = auth::uri_encode(version.as_bytes(), false);
    format!(
        "http://{host}/_nanolambda/functions/{name}/code?Qualifier={q}&Expires={expires}&Signature={signature}"
    )
}

async fn download_code(
    state: State,
    name: web::Path<String>,
    q: web::Query<ListQuery>,
) -> ApiResult {
    let (name, qualifier) = target(&name, &q)?;
    let denied = |why: &str| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "AccessDeniedException",
            format!("{why}: use the Code.Location that GetFunction returns"),
        )
    };
    let expires = q
        .expires
        .as_deref()
        .and_then(|e| e.parse::<u64>().ok())
        .ok_or_else(|| denied("the link is not signed"))?;
    let version = qualifier.as_deref().unwrap_or("$LATEST");
    let expected = code_link_signature(&name, version, expires);
    let given = q.signature.as_deref().unwrap_or_default();
    if !auth::Verified::signature_matches(&expected, given) {
        return Err(denied("the link's signature does not match"));
    }
    if expires < unix_now() {
        return Err(denied("the link has expired"));
    }
    let functions = state.functions.clone();
    let zip = blocking(move || {
        let c = functions.resolve(&name, qualifier.as_deref())?;
        functions.store().code(&c.code_sha256)?.ok_or_else(|| {
            crate::node::functions::ServiceError::Internal("code package missing".into())
        })
    })
    .await?;
    Ok(HttpResponse::Ok().content_type("application/zip").body(zip))
}

async fn create_function(_: LambdaAuth, state: State, body: web::Bytes) -> ApiResult {
    let r: CreateFunctionRequest = json_body(&body)?;
    if r.package_type.as_deref().is_some_and(|p| p != "Zip") {
        return Err(ApiError::invalid("only PackageType Zip is supported"));
    }
    let code = r.code.unwrap_or_default();
    if code.s3_bucket.is_some() || code.image_uri.is_some() {
        return Err(ApiError::invalid(
            "only Code.ZipFile is supported (S3 arrives with the S3 API)",
        ));
    }
    let spec = FunctionSpec {
        name: r.function_name,
        runtime: r
            .runtime
            .ok_or_else(|| ApiError::invalid("Runtime is required for a Zip package"))?,
        role: r.role.unwrap_or_default(),
        handler: r
            .handler
            .ok_or_else(|| ApiError::invalid("Handler is required for a Zip package"))?,
        description: r.description.unwrap_or_default(),
        timeout: r.timeout,
        memory_size: r.memory_size,
        environment: r.environment.and_then(|e| e.variables).unwrap_or_default(),
        zip: decode_zip(code.zip_file.as_deref())?,
        publish: r.publish,
    };
    let functions = state.functions.clone();
    let config = blocking(move || functions.create(spec)).await?;
    tracing::info!(function = %config.name, "function created");
    Ok(created(function_configuration(&config)))
}

async fn list_functions(_: LambdaAuth, state: State, q: web::Query<ListQuery>) -> ApiResult {
    let size = page_size(q.max_items.as_deref()).map_err(ApiError::invalid)?;
    let (page, more) = state
        .functions
        .store()
        .list_functions(q.marker.as_deref(), size)
        .map_err(|e| ApiError::from(crate::node::functions::ServiceError::from(e)))?;
    // `FunctionVersion=ALL`: each function's published versions follow
    // its `$LATEST`, as in Lambda.
    let all_versions = match q.function_version.as_deref() {
        None => false,
        Some("ALL") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "1 validation error detected: Value '{other}' at 'functionVersion' failed to \
                 satisfy constraint: Member must satisfy enum value set: [ALL]"
            )));
        }
    };
    let mut configurations = Vec::with_capacity(page.len());
    for c in &page {
        if all_versions {
            for v in state.functions.versions(&c.name)? {
                let mut doc = function_configuration(&v);
                if v.version == "$LATEST" {
                    doc["FunctionArn"] =
                        json!(crate::store::function_arn(&v.name, Some("$LATEST")));
                }
                configurations.push(doc);
            }
        } else {
            configurations.push(function_configuration(c));
        }
    }
    let mut body = json!({ "Functions": configurations });
    if more && let (Some(last), Some(obj)) = (page.last(), body.as_object_mut()) {
        obj.insert("NextMarker".into(), json!(last.name));
    }
    Ok(HttpResponse::Ok().json(body))
}

async fn get_function(
    _: LambdaAuth,
    req: HttpRequest,
    state: State,
    name: web::Path<String>,
    q: web::Query<ListQuery>,
) -> ApiResult {
    let (name, qualifier) = target(&name, &q)?;
    let config = state.functions.resolve(&name, qualifier.as_deref())?;
    let host = req.connection_info().host().to_string();
    let location = code_location(&host, &config.name, &config.version);
    Ok(HttpResponse::Ok().json(json!({
        "Configuration": function_configuration(&config),
        "Code": {"RepositoryType": "S3", "Location": location},
    })))
}

async fn get_configuration(
    _: LambdaAuth,
    state: State,
    name: web::Path<String>,
    q: web::Query<ListQuery>,
) -> ApiResult {
    let (name, qualifier) = target(&name, &q)?;
    let config = state.functions.resolve(&name, qualifier.as_deref())?;
    Ok(HttpResponse::Ok().json(function_configuration(&config)))
}

async fn delete_function(
    _: LambdaAuth,
    state: State,
    name: web::Path<String>,
    q: web::Query<ListQuery>,
) -> ApiResult {
    let (name, qualifier) = target(&name, &q)?;
    let functions = state.functions.clone();
    blocking(move || functions.delete(&name, qualifier.as_deref())).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn update_code(
    _: LambdaAuth,
    state: State,
    name: web::Path<String>,
    body: web::Bytes,
) -> ApiResult {
    let r: UpdateCodeRequest = json_body(&body)?;
    if r.s3_bucket.is_some() {
        return Err(ApiError::invalid("only ZipFile is supported"));
    }
    let zip = decode_zip(r.zip_file.as_deref())?;
    let (name, _) = parse_function_name(&name);
    let functions = state.functions.clone();
    if r.dry_run {
        let config = blocking(move || functions.check_code(&name, &zip)).await?;
        return Ok(HttpResponse::Ok().json(function_configuration(&config)));
    }
    let config = blocking(move || functions.update_code(&name, &zip, r.publish)).await?;
    Ok(HttpResponse::Ok().json(function_configuration(&config)))
}

async fn update_configuration(
    _: LambdaAuth,
    state: State,
    name: web::Path<String>,
    body: web::Bytes,
) -> ApiResult {
    let r: UpdateConfigRequest = json_body(&body)?;
    let (name, _) = parse_function_name(&name);
    let update = ConfigUpdate {
        runtime: r.runtime,
        role: r.role,
        handler: r.handler,
        description: r.description,
        timeout: r.timeout,
        memory_size: r.memory_size,
        environment: r.environment.map(|e| e.variables.unwrap_or_default()),
    };
    let functions = state.functions.clone();
    let config = blocking(move || functions.update_config(&name, update)).await?;
    Ok(HttpResponse::Ok().json(function_configuration(&config)))
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

async fn invoke(
    _: LambdaAuth,
    req: HttpRequest,
    state: State,
    name: web::Path<String>,
    q: web::Query<ListQuery>,
    body: web::Bytes,
) -> ApiResult {
    let (name, qualifier) = target(&name, &q)?;
    let functions = state.functions.clone();
    match header(&req, "x-amz-invocation-type").unwrap_or("RequestResponse") {
        "RequestResponse" => {}
        "Event" => {
            let request_id =
                blocking(move || functions.enqueue(&name, qualifier.as_deref(), &body)).await?;
            return Ok(HttpResponse::Accepted()
                .insert_header(("x-amzn-RequestId", request_id))
                .finish());
        }
        "DryRun" => {
            let c = functions.resolve(&name, qualifier.as_deref())?;
            return Ok(HttpResponse::NoContent()
                .insert_header(("X-Amz-Executed-Version", c.version))
                .finish());
        }
        other => {
            return Err(ApiError::invalid(format!(
                "1 validation error detected: Value '{other}' at 'invocationType' failed to satisfy \
                 constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"
            )));
        }
    }
    let tail = match header(&req, "x-amz-log-type") {
        None | Some("None") => false,
        Some("Tail") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "1 validation error detected: Value '{other}' at 'logType' failed to satisfy \
                 constraint: Member must satisfy enum value set: [Tail, None]"
            )));
        }
    };
    if state.mesh.routes(&name) {
        return routed_invoke(&state, &name, qualifier.as_deref(), body.to_vec(), tail).await;
    }
    let invoked = functions.invoke(&name, qualifier.as_deref(), &body).await?;
    let mut r = HttpResponse::Ok();
    r.content_type("application/json")
        .insert_header((EXECUTED_ON_HEADER, state.mesh.name()))
        .insert_header(("X-Amz-Executed-Version", invoked.executed_version.as_str()))
        .insert_header(("x-amzn-RequestId", invoked.request_id.as_str()));
    if tail {
        r.insert_header((
            "X-Amz-Log-Result",
            base64::engine::general_purpose::STANDARD.encode(invoked.log_tail.as_bytes()),
        ));
    }
    Ok(match invoked.outcome {
        InvokeOutcome::Ok(json) => r.body(json),
        InvokeOutcome::FunctionError(doc) => {
            r.insert_header(("X-Amz-Function-Error", "Unhandled"));
            r.body(doc)
        }
    })
}

/// Response header naming the node that ran a synchronous invocation
/// (the HTTP twin of CoAP's Executed-On option 65000).
pub const EXECUTED_ON_HEADER: &str = "X-Nanolambda-Executed-On";

/// A synchronous invocation placed by the mesh driver (the function is not
/// served here, or has a `NANOLAMBDA_PLACEMENT`): same body and headers as
/// a local run (the executor's log tail with `LogType=Tail`), plus the
/// executor's name.
async fn routed_invoke(
    state: &State,
    name: &str,
    qualifier: Option<&str>,
    body: Vec<u8>,
    tail: bool,
) -> ApiResult {
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&body)
        && !body.is_empty()
    {
        return Err(ApiError::from(
            crate::node::functions::ServiceError::InvalidRequestContent(format!(
                "Could not parse request body into json: {e}"
            )),
        ));
    }
    let body = if body.is_empty() {
        b"{}".to_vec()
    } else {
        body
    };
    let answer = state.mesh.route_logged(name, qualifier, body, tail).await;
    let (answer, log_tail) = match answer {
        Ok(a) => (a.answer, a.log_tail),
        Err(e) => {
            let status = match e.error_type.as_str() {
                "ResourceNotFoundException" => actix_web::http::StatusCode::NOT_FOUND,
                "RequestTooLargeException" => actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
                "InvalidParameterValueException" => actix_web::http::StatusCode::BAD_REQUEST,
                _ => actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
            };
            return Ok(HttpResponse::build(status)
                .insert_header(("x-amzn-ErrorType", e.error_type.as_str()))
                .content_type("application/json")
                .body(
                    serde_json::json!({
                        "__type": e.error_type.as_str(),
                        "Type": "User",
                        "message": e.error_message.as_str(),
                    })
                    .to_string(),
                ));
        }
    };
    let mut r = HttpResponse::Ok();
    r.content_type("application/json")
        .insert_header(("X-Amz-Executed-Version", qualifier.unwrap_or("$LATEST")))
        .insert_header(("x-amzn-RequestId", crate::node::functions::new_request_id()))
        .insert_header((EXECUTED_ON_HEADER, answer.executed_on.as_str()));
    if tail {
        r.insert_header((
            "X-Amz-Log-Result",
            base64::engine::general_purpose::STANDARD.encode(log_tail.as_bytes()),
        ));
    }
    Ok(match answer.result {
        Ok(json) => r.body(json),
        Err(e) => match e.error_type.as_str() {
            "ResourceNotFoundException" | "TooManyRequestsException" | "ServiceException" => {
                let status = match e.error_type.as_str() {
                    "ResourceNotFoundException" => actix_web::http::StatusCode::NOT_FOUND,
                    "TooManyRequestsException" => actix_web::http::StatusCode::TOO_MANY_REQUESTS,
                    _ => actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
                };
                HttpResponse::build(status)
                    .insert_header(("x-amzn-ErrorType", e.error_type.as_str()))
                    .content_type("application/json")
                    .body(
                        serde_json::json!({
                            "__type": e.error_type.as_str(),
                            "message": e.error_message.as_str(),
                        })
                        .to_string(),
                    )
            }
            _ => {
                r.insert_header(("X-Amz-Function-Error", "Unhandled"));
                r.body(e.to_json())
            }
        },
    })
}

async fn publish_version(
    _: LambdaAuth,
    state: State,
    name: web::Path<String>,
    body: web::Bytes,
) -> ApiResult {
    let r: PublishVersionRequest = json_body(&body)?;
    let (name, _) = parse_function_name(&name);
    let functions = state.functions.clone();
    let config = blocking(move || {
        functions.publish(&name, r.description.as_deref(), r.code_sha256.as_deref())
    })
    .await?;
    Ok(created(function_configuration(&config)))
}

async fn list_versions(
    _: LambdaAuth,
    state: State,
    name: web::Path<String>,
    q: web::Query<ListQuery>,
) -> ApiResult {
    let (name, _) = parse_function_name(&name);
    let size = page_size(q.max_items.as_deref()).map_err(ApiError::invalid)?;
    let all = state.functions.versions(&name)?;
    let (page, next) = paginate(&all, q.marker.as_deref(), size).map_err(ApiError::invalid)?;
    let mut body = json!({
        "Versions": page.iter().map(|c| {
            let mut v = function_configuration(c);
            if c.version == "$LATEST" {
                v["FunctionArn"] = json!(crate::store::function_arn(&c.name, Some("$LATEST")));
            }
            v
        }).collect::<Vec<_>>(),
    });
    if let (Some(n), Some(obj)) = (next, body.as_object_mut()) {
        obj.insert("NextMarker".into(), json!(n));
    }
    Ok(HttpResponse::Ok().json(body))
}

async fn create_alias(
    _: LambdaAuth,
    state: State,
    name: web::Path<String>,
    body: web::Bytes,
) -> ApiResult {
    let r: AliasRequest = json_body(&body)?;
    let weights = r.routing_config.map(|c| c.additional_version_weights);
    let alias = r
        .name
        .ok_or_else(|| ApiError::invalid("Name is required"))?;
    let (name, _) = parse_function_name(&name);
    let functions = state.functions.clone();
    let a = blocking(move || {
        functions.put_alias(
            &name,
            &alias,
            r.function_version,
            r.description,
            weights,
            true,
        )
    })
    .await?;
    Ok(created(alias_configuration(&a)))
}

async fn update_alias(
    _: LambdaAuth,
    state: State,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> ApiResult {
    let r: AliasRequest = json_body(&body)?;
    let weights = r.routing_config.map(|c| c.additional_version_weights);
    let (raw, alias) = path.into_inner();
    let (name, _) = parse_function_name(&raw);
    let functions = state.functions.clone();
    let a = blocking(move || {
        functions.put_alias(
            &name,
            &alias,
            r.function_version,
            r.description,
            weights,
            false,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(alias_configuration(&a)))
}

/// The function name and qualifier of an event-invoke-config request
/// (`Qualifier` in the query or the name).
fn config_target(raw: &str, q: &ListQuery) -> (String, Option<String>) {
    let (name, qualifier) = parse_function_name(raw);
    (name, q.qualifier.clone().or(qualifier))
}

/// The error for a function without an event invoke configuration.
fn no_event_config(name: &str, qualifier: &str) -> crate::node::functions::ServiceError {
    crate::node::functions::ServiceError::NotFound(format!(
        "The function {} doesn't have an EventInvokeConfig",
        crate::store::function_arn(name, Some(qualifier))
    ))
}

/// `PutFunctionEventInvokeConfig` (PUT: replaces) and
/// `UpdateFunctionEventInvokeConfig` (POST: changes the fields given).
async fn write_event_config(
    _: LambdaAuth,
    req: HttpRequest,
    state: State,
    name: web::Path<String>,
    q: web::Query<ListQuery>,
    body: web::Bytes,
) -> ApiResult {
    let replace = req.method() == actix_web::http::Method::PUT;
    let r: EventInvokeConfigRequest = json_body(&body)?;
    let (name, qualifier) = config_target(&name, &q);
    let destinations = r.destination_config.unwrap_or_default();
    let change = crate::node::functions::EventConfigChange {
        maximum_retry_attempts: r.maximum_retry_attempts,
        maximum_event_age_in_seconds: r.maximum_event_age_in_seconds,
        on_success: destinations.on_success.and_then(|d| d.destination),
        on_failure: destinations.on_failure.and_then(|d| d.destination),
    };
    let functions = state.functions.clone();
    let c =
        blocking(move || functions.put_event_config(&name, qualifier.as_deref(), change, replace))
            .await?;
    Ok(HttpResponse::Ok().json(shapes::event_invoke_config(&c)))
}

async fn get_event_config(
    _: LambdaAuth,
    state: State,
    name: web::Path<String>,
    q: web::Query<ListQuery>,
) -> ApiResult {
    let (name, qualifier) = config_target(&name, &q);
    let functions = state.functions.clone();
    let c = blocking(move || {
        functions.resolve(&name, qualifier.as_deref())?;
        functions
            .event_config(&name, qualifier.as_deref())?
            .ok_or_else(|| no_event_config(&name, qualifier.as_deref().unwrap_or("$LATEST")))
    })
    .await?;
    Ok(HttpResponse::Ok().json(shapes::event_invoke_config(&c)))
}

async fn delete_event_config(
    _: LambdaAuth,
    state: State,
    name: web::Path<String>,
    q: web::Query<ListQuery>,
) -> ApiResult {
    let (name, qualifier) = config_target(&name, &q);
    let functions = state.functions.clone();
    blocking(move || {
        let qualifier = qualifier.as_deref().unwrap_or("$LATEST");
        if functions.store().delete_event_config(&name, qualifier)? {
            Ok(())
        } else {
            Err(no_event_config(&name, qualifier))
        }
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn list_event_configs(
    _: LambdaAuth,
    state: State,
    name: web::Path<String>,
    q: web::Query<ListQuery>,
) -> ApiResult {
    let (name, _) = parse_function_name(&name);
    let size = page_size(q.max_items.as_deref()).map_err(ApiError::invalid)?;
    let functions = state.functions.clone();
    let all = blocking(move || {
        functions.resolve(&name, None)?;
        Ok(functions.store().event_configs(&name)?)
    })
    .await?;
    let (page, next) = paginate(&all, q.marker.as_deref(), size).map_err(ApiError::invalid)?;
    let mut body = json!({
        "FunctionEventInvokeConfigs": page
            .iter()
            .map(shapes::event_invoke_config)
            .collect::<Vec<_>>(),
    });
    if let (Some(n), Some(obj)) = (next, body.as_object_mut()) {
        obj.insert("NextMarker".into(), json!(n));
    }
    Ok(HttpResponse::Ok().json(body))
}

async fn get_alias(_: LambdaAuth, state: State, path: web::Path<(String, String)>) -> ApiResult {
    let (raw, alias) = path.into_inner();
    let (name, _) = parse_function_name(&raw);
    let a = state
        .functions
        .store()
        .alias(&name, &alias)
        .map_err(|e| ApiError::from(crate::node::functions::ServiceError::from(e)))?;
    Ok(HttpResponse::Ok().json(alias_configuration(&a)))
}

async fn delete_alias(_: LambdaAuth, state: State, path: web::Path<(String, String)>) -> ApiResult {
    let (raw, alias) = path.into_inner();
    let (name, _) = parse_function_name(&raw);
    let functions = state.functions.clone();
    blocking(move || Ok(functions.store().delete_alias(&name, &alias)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn list_aliases(
    _: LambdaAuth,
    state: State,
    name: web::Path<String>,
    q: web::Query<ListQuery>,
) -> ApiResult {
    let (name, _) = parse_function_name(&name);
    let size = page_size(q.max_items.as_deref()).map_err(ApiError::invalid)?;
    state.functions.resolve(&name, None)?;
    let all: Vec<_> = state
        .functions
        .store()
        .aliases(&name)
        .map_err(|e| ApiError::from(crate::node::functions::ServiceError::from(e)))?
        .into_iter()
        .filter(|a| {
            q.function_version
                .as_deref()
                .is_none_or(|v| v == a.function_version)
        })
        .collect();
    let (page, next) = paginate(&all, q.marker.as_deref(), size).map_err(ApiError::invalid)?;
    let mut body = json!({
        "Aliases": page.iter().map(alias_configuration).collect::<Vec<_>>(),
    });
    if let (Some(n), Some(obj)) = (next, body.as_object_mut()) {
        obj.insert("NextMarker".into(), json!(n));
    }
    Ok(HttpResponse::Ok().json(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsupported_operations_are_named() {
        let arn = "arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af";
        assert_eq!(
            lambda_operation_name("GET", &format!("/2017-03-31/tags/{arn}")),
            Some("ListTags")
        );
        assert_eq!(
            lambda_operation_name("PUT", "/2017-10-31/functions/f/concurrency"),
            Some("PutFunctionConcurrency")
        );
        assert_eq!(
            lambda_operation_name("GET", "/2016-08-19/account-settings/"),
            Some("GetAccountSettings")
        );
        assert_eq!(
            lambda_operation_name("POST", "/2015-03-31/functions/f/policy"),
            Some("AddPermission")
        );
        assert_eq!(lambda_operation_name("GET", "/2015-03-31/nothing"), None);
        let e = unsupported_operation("GET", "/2021-10-31/functions/f/url");
        assert_eq!(e.status, StatusCode::NOT_FOUND);
        assert!(e.message.contains("FunctionUrlConfig"), "{}", e.message);
        let e = unsupported_operation("GET", "/nowhere");
        assert_eq!(e.message, "no operation at GET /nowhere");
    }

    #[test]
    fn code_links_are_signed_per_function_and_version() {
        let url = code_location("h:1", "f", "$LATEST");
        assert!(
            url.starts_with("http://h:1/_nanolambda/functions/f/code?Qualifier=%24LATEST&Expires=")
        );
        let sig = code_link_signature("f", "1", 100);
        assert_eq!(sig.len(), 64);
        assert_eq!(sig, code_link_signature("f", "1", 100));
        assert_ne!(sig, code_link_signature("f", "2", 100));
        assert_ne!(sig, code_link_signature("g", "1", 100));
        assert_ne!(sig, code_link_signature("f", "1", 101));
    }
}
