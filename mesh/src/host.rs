//! The VM's [`Host`] on a capable node: real clocks, the function's
//! environment variables, a deadline, a bounded log buffer for the
//! function's `print` output, and `boto3` S3 calls answered from the node's
//! own object store (through [`crate::s3::S3`], so a function's puts and
//! deletes raise bucket notifications like HTTP ones).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use nanolambda_firmware::vm::{
    self, Host, ReadConditions, S3Failure, S3Listing, S3Object, S3Op, S3Reply,
};
use nanolambda_protocol::hash::ModuleHash;

use crate::s3::{ListQuery, ObjectMeta, PutOptions, S3, S3Code, S3Error};

/// Where `print` output goes.
pub enum LogSink {
    /// Write each print to the process's standard error (the `run` command).
    Stderr,
    /// Keep the output in memory, at most `limit` bytes (the oldest dropped first).
    Buffer {
        /// The kept output.
        text: String,
        /// Most bytes kept.
        limit: usize,
    },
}

/// The node services functions may reach, filled in once the node has
/// built them (the executor exists before the S3 service, which needs the
/// function service that owns the executor). Cheap to clone; clones share.
#[derive(Clone, Default)]
pub struct FunctionServices {
    s3: Arc<OnceLock<Arc<S3>>>,
    warm: Arc<WarmStarts>,
}

/// What a function's initialisation left ([`vm::WarmStart`]), kept per
/// program, arena size and environment so that later invocations start
/// from it instead of running the module's top level again. Bounded: at
/// most [`WarmStarts::MAX_ENTRIES`] images and [`WarmStarts::MAX_BYTES`] of
/// arena copies in all (a full cache forgets everything and refills); an
/// image over [`WarmStarts::MAX_IMAGE_BYTES`] is not kept.
#[derive(Default)]
pub struct WarmStarts {
    map: Mutex<WarmMap>,
}

/// The images by program hash, arena bytes and a hash of the environment
/// (each entry keeps its environment to compare: a lookup allocates
/// nothing), and the arena bytes they hold in all.
#[derive(Default)]
struct WarmMap {
    entries: HashMap<(ModuleHash, usize, u64), WarmEntry>,
    bytes: usize,
}

struct WarmEntry {
    env: Env,
    image: Arc<vm::WarmStart>,
}

/// A function's environment variables as its invocations share them:
/// cloning counts a reference, and the hash that keys warm-start images
/// is computed once, when the environment is made (not per invocation).
#[derive(Clone, Debug, Default)]
pub struct Env {
    vars: Arc<[(String, String)]>,
    hash: u64,
}

impl Env {
    /// The environment `vars`, in the order the function sees them.
    pub fn new(vars: Vec<(String, String)>) -> Env {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        vars.hash(&mut h);
        Env {
            vars: vars.into(),
            hash: h.finish(),
        }
    }

    /// The variables.
    pub fn vars(&self) -> &[(String, String)] {
        &self.vars
    }
}

impl From<Vec<(String, String)>> for Env {
    fn from(vars: Vec<(String, String)>) -> Env {
        Env::new(vars)
    }
}

impl PartialEq for Env {
    fn eq(&self, other: &Env) -> bool {
        Arc::ptr_eq(&self.vars, &other.vars) || (self.hash == other.hash && self.vars == other.vars)
    }
}

impl Eq for Env {}

impl WarmStarts {
    /// Most images kept.
    pub const MAX_ENTRIES: usize = 256;
    /// Most arena bytes kept in all.
    pub const MAX_BYTES: usize = 256 * 1024 * 1024;
    /// Largest image kept.
    pub const MAX_IMAGE_BYTES: usize = 16 * 1024 * 1024;

    fn lock(&self) -> std::sync::MutexGuard<'_, WarmMap> {
        self.map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The image for this program, arena size and environment, if kept.
    pub fn get(&self, program: ModuleHash, arena: usize, env: &Env) -> Option<Arc<vm::WarmStart>> {
        let g = self.lock();
        let e = g.entries.get(&(program, arena, env.hash))?;
        (e.env == *env).then(|| Arc::clone(&e.image))
    }

    /// Keep `image` (see the bounds above).
    pub fn put(&self, program: ModuleHash, arena: usize, env: Env, image: vm::WarmStart) {
        let size = image.arena_bytes();
        if size > Self::MAX_IMAGE_BYTES {
            return;
        }
        let mut g = self.lock();
        if g.entries.len() >= Self::MAX_ENTRIES || g.bytes + size > Self::MAX_BYTES {
            *g = WarmMap::default();
        }
        let key = (program, arena, env.hash);
        let entry = WarmEntry {
            env,
            image: Arc::new(image),
        };
        if let Some(old) = g.entries.insert(key, entry) {
            g.bytes -= old.image.arena_bytes();
        }
        g.bytes += size;
    }

    /// Images kept now.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl FunctionServices {
    /// The functions' initialisation images.
    pub fn warm_starts(&self) -> &WarmStarts {
        &self.warm
    }

    /// Offer `s3` to functions (the first call wins).
    pub fn set_s3(&self, s3: Arc<S3>) {
        let _ = self.s3.set(s3);
    }

    /// The S3 service, once set.
    pub fn s3(&self) -> Option<Arc<S3>> {
        self.s3.get().cloned()
    }
}

/// A [`Host`] backed by the operating system.
pub struct StdHost {
    env: Env,
    started: Instant,
    deadline: Instant,
    log: LogSink,
    s3: Option<Arc<S3>>,
}

impl StdHost {
    /// A host whose invocation may run for `timeout` from now.
    pub fn new(env: impl Into<Env>, timeout: Duration, log: LogSink) -> Self {
        let started = Instant::now();
        StdHost {
            env: env.into(),
            started,
            deadline: started + timeout,
            log,
            s3: None,
        }
    }

    /// Serve the function's `boto3` S3 calls from `s3` (without it they
    /// fail with `NotImplemented`).
    #[must_use]
    pub fn with_s3(mut self, s3: Option<Arc<S3>>) -> Self {
        self.s3 = s3;
        self
    }

    /// The output captured by a [`LogSink::Buffer`] (empty for stderr).
    pub fn take_log(&mut self) -> String {
        match &mut self.log {
            LogSink::Stderr => String::new(),
            LogSink::Buffer { text, .. } => std::mem::take(text),
        }
    }
}

impl Host for StdHost {
    fn print(&mut self, text: &str) {
        match &mut self.log {
            LogSink::Stderr => eprint!("{text}"),
            LogSink::Buffer { text: buf, limit } => {
                buf.push_str(text);
                if buf.len() > *limit {
                    let mut cut = buf.len() - *limit;
                    while !buf.is_char_boundary(cut) {
                        cut += 1;
                    }
                    buf.drain(..cut);
                }
            }
        }
    }

    fn time_unix(&mut self) -> f64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0)
    }

    fn time_monotonic(&mut self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    fn env_var(&mut self, name: &str) -> Option<String> {
        self.env
            .vars()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    fn env_vars(&mut self) -> Vec<(String, String)> {
        self.env.vars().to_vec()
    }

    fn remaining_millis(&mut self) -> i64 {
        let now = Instant::now();
        if now >= self.deadline {
            0
        } else {
            i64::try_from((self.deadline - now).as_millis()).unwrap_or(i64::MAX)
        }
    }

    fn s3(&mut self, op: S3Op<'_>) -> Result<S3Reply, S3Failure> {
        let Some(s3) = &self.s3 else {
            // Only local runs (and a node's first moments) have no store.
            return Err(S3Failure::new(
                "NotImplemented",
                "S3 is not available to this function: `nanolambda run` serves boto3 \
                 calls from a node's store only with --data DIR (the node stopped)",
                501,
            ));
        };
        // The store is local and synchronous: the call runs on this
        // executor thread, inside the function's time (the VM ends the
        // invocation when the deadline has passed on return).
        s3_call(s3, op)
            .map_err(|e| S3Failure::new(e.code.as_str(), &e.message, e.code.status().as_u16()))
    }
}

/// Answer one function S3 request from the node's store.
pub fn s3_call(s3: &S3, op: S3Op<'_>) -> Result<S3Reply, S3Error> {
    Ok(match op {
        S3Op::Get { bucket, key, cond } => {
            check_version(cond)?;
            if cond == ReadConditions::default() {
                let (meta, body) = s3.get_bytes(bucket, key, None)?;
                return Ok(S3Reply::Object(object_of(meta), body));
            }
            // The conditions and the range apply to the object as it is
            // when read: if it changed between the check and the read,
            // check again.
            let mut meta = s3.store().head(bucket, key)?;
            for _ in 0..3 {
                check_read(cond, &meta)?;
                let range =
                    nanolambda_firmware::vm::byte_range(cond.range, meta.size).map_err(|_| {
                        S3Error::new(
                            S3Code::InvalidRange,
                            "The requested range is not satisfiable",
                        )
                    })?;
                let (read, body) = s3.get_bytes(bucket, key, range)?;
                if read.etag == meta.etag && read.size == meta.size {
                    return Ok(S3Reply::Object(
                        S3Object {
                            range,
                            ..object_of(read)
                        },
                        body,
                    ));
                }
                meta = read;
            }
            return Err(S3Error::new(
                S3Code::InternalError,
                "the object kept changing while it was read",
            ));
        }
        S3Op::Head { bucket, key, cond } => {
            check_version(cond)?;
            let meta = s3.store().head(bucket, key)?;
            check_read(cond, &meta)?;
            S3Reply::Head(object_of(meta))
        }
        S3Op::Put {
            bucket,
            key,
            body,
            content_type,
            metadata,
        } => {
            let meta_bytes: usize = metadata.iter().map(|(k, v)| k.len() + v.len()).sum();
            if meta_bytes > crate::s3::store::MAX_META_BYTES {
                return Err(S3Error::new(
                    S3Code::InvalidArgument,
                    "Your metadata headers exceed the maximum allowed metadata size (2 KB)",
                ));
            }
            let mut user_meta = metadata.to_vec();
            user_meta.sort();
            let opts = PutOptions {
                content_type: content_type.map(str::to_string),
                user_meta,
                ..PutOptions::default()
            };
            S3Reply::Put {
                etag: s3.put_bytes(bucket, key, body, opts)?.etag,
            }
        }
        S3Op::Delete { bucket, key } => {
            s3.delete(bucket, key)?;
            S3Reply::Deleted
        }
        S3Op::List {
            bucket,
            prefix,
            delimiter,
            start_after,
            continuation_token,
            max_keys,
        } => {
            let token = match continuation_token {
                Some(t) => Some(crate::s3::api::decode_continuation_token(t)?),
                None => None,
            };
            let q = ListQuery {
                prefix: prefix.to_string(),
                delimiter: delimiter.map(str::to_string),
                after: token.or_else(|| start_after.map(str::to_string)),
                max_keys: usize::try_from(max_keys.min(1000)).unwrap_or(1000),
            };
            let page = s3.store().list(bucket, &q)?;
            let next = page
                .last
                .filter(|_| page.truncated)
                .map(|l| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(l));
            S3Reply::List(S3Listing {
                objects: page
                    .objects
                    .into_iter()
                    .map(|m| S3Object {
                        metadata: Vec::new(),
                        content_type: String::new(),
                        ..object_of(m)
                    })
                    .collect(),
                common_prefixes: page.common_prefixes,
                is_truncated: page.truncated,
                next_continuation_token: next,
            })
        }
    })
}

/// A function's `VersionId` (only `null` exists).
fn check_version(cond: ReadConditions<'_>) -> Result<(), S3Error> {
    cond.check_version()
        .map_err(|f| S3Error::new(S3Code::InvalidArgument, &f.message))
}

/// `If-Match`/`If-None-Match`/`If-(Un)Modified-Since` of a function's
/// read against `meta`.
fn check_read(cond: ReadConditions<'_>, meta: &ObjectMeta) -> Result<(), S3Error> {
    cond.check_at(&meta.etag, Some(meta.last_modified_ms), |a, b| a == b)
        .map_err(|f| {
            let code = if f.status == 304 {
                S3Code::NotModified
            } else {
                S3Code::PreconditionFailed
            };
            S3Error::new(code, &f.message)
        })
}

fn object_of(m: ObjectMeta) -> S3Object {
    S3Object {
        key: m.key,
        size: m.size,
        etag: m.etag,
        last_modified_ms: m.last_modified_ms,
        content_type: m.content_type,
        metadata: m.user_meta,
        range: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::compile_source;
    use nanolambda_firmware::vm::{self, Invocation, Limits, Outcome, Program};

    /// Run `src`'s `handler` with `host` and an empty event.
    fn run_outcome(src: &str, host: &mut dyn vm::Host) -> Outcome {
        let program =
            Program::from_module(compile_source("lambda_function.py", src).unwrap()).unwrap();
        let context = crate::run::local_context("f", 128);
        let inv = Invocation {
            handler: "handler",
            event_json: b"{}",
            context: &context,
        };
        let mut arena = vec![0u8; 4 << 20];
        vm::invoke(&program, &mut arena, host, &inv, &Limits::default()).outcome
    }

    /// Run `src`'s `handler` with `host`; the result JSON or the error type and message.
    fn run(src: &str, host: &mut StdHost) -> Result<serde_json::Value, (String, String)> {
        match run_outcome(src, host) {
            Outcome::Ok(json) => Ok(serde_json::from_str(&json).unwrap()),
            Outcome::Err(e) => Err((e.error_type, e.error_message)),
        }
    }

    fn host_with_store(dir: &std::path::Path) -> (StdHost, Arc<S3>) {
        let s3 = Arc::new(S3::open(dir, None).unwrap());
        s3.store().create_bucket("bkt").unwrap();
        let host = StdHost::new(vec![], Duration::from_secs(10), LogSink::Stderr)
            .with_s3(Some(Arc::clone(&s3)));
        (host, s3)
    }

    #[test]
    fn boto3_round_trip_against_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let (mut host, s3) = host_with_store(dir.path());
        let src = r#"
import boto3
def handler(event, context):
    s3 = boto3.client("s3", endpoint_url="http://ignored", region_name="us-east-1")
    p = s3.put_object(Bucket="bkt", Key="in/a.txt", Body="héllo", ContentType="text/plain",
                      Metadata={"Who": "me"})
    s3.put_object(Bucket="bkt", Key="in/sub/c.bin", Body=b"\x00\x01")
    s3.put_object(Bucket="bkt", Key="other", Body=b"")
    g = s3.get_object(Bucket="bkt", Key="in/a.txt")
    body = g["Body"]
    first = body.read(2)
    rest = body.read()
    h = s3.head_object(Bucket="bkt", Key="in/a.txt")
    l = s3.list_objects_v2(Bucket="bkt", Prefix="in/", Delimiter="/")
    page1 = s3.list_objects_v2(Bucket="bkt", MaxKeys=2)
    page2 = s3.list_objects_v2(Bucket="bkt", MaxKeys=2,
                               ContinuationToken=page1["NextContinuationToken"])
    pager = s3.get_paginator("list_objects_v2")
    paged = [[o["Key"] for o in p["Contents"]] for p in pager.paginate(Bucket="bkt", MaxKeys=2)]
    d = s3.delete_object(Bucket="bkt", Key="other")
    return {
        "put": [p["ETag"], p["ResponseMetadata"]["HTTPStatusCode"]],
        "get": [(first + rest).decode(), g["ContentLength"], g["ContentType"], g["ETag"],
                g["Metadata"], type(body).__name__, body.read().decode()],
        "head": [h["ContentLength"], h["Metadata"], "Body" in h, len(str(h["LastModified"]))],
        "list": [[o["Key"] for o in l["Contents"]], l["CommonPrefixes"], l["KeyCount"],
                 l["IsTruncated"]],
        "pages": [[o["Key"] for o in page1["Contents"]], page1["IsTruncated"],
                  [o["Key"] for o in page2["Contents"]], page2["IsTruncated"],
                  "NextContinuationToken" in page2],
        "delete": d["ResponseMetadata"]["HTTPStatusCode"],
        "paged": paged,
    }
"#;
        let out = run(src, &mut host).unwrap();
        use md5::Digest as _;
        let hex: String = md5::Md5::digest("héllo".as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let etag = format!("\"{hex}\"");
        assert_eq!(out["put"], serde_json::json!([etag, 200]));
        assert_eq!(
            out["get"],
            serde_json::json!(["héllo", 6, "text/plain", etag, {"who": "me"}, "StreamingBody", ""])
        );
        assert_eq!(
            out["head"],
            serde_json::json!([6, {"who": "me"}, false, 25])
        );
        assert_eq!(
            out["list"],
            serde_json::json!([["in/a.txt"], [{"Prefix": "in/sub/"}], 2, false])
        );
        assert_eq!(
            out["pages"],
            serde_json::json!([["in/a.txt", "in/sub/c.bin"], true, ["other"], false, false])
        );
        assert_eq!(out["delete"], 204);
        assert_eq!(
            out["paged"],
            serde_json::json!([["in/a.txt", "in/sub/c.bin"], ["other"]])
        );
        // What the function wrote is in the store.
        let (meta, bytes) = s3.get_bytes("bkt", "in/a.txt", None).unwrap();
        assert_eq!(bytes, "héllo".as_bytes());
        assert_eq!(meta.user_meta, vec![("who".to_string(), "me".to_string())]);
        assert!(s3.store().head("bkt", "other").is_err());
    }

    #[test]
    fn boto3_errors_are_client_errors_with_s3_codes() {
        let dir = tempfile::tempdir().unwrap();
        let (mut host, _s3) = host_with_store(dir.path());
        let src = r#"
import boto3
import botocore.exceptions
from botocore.exceptions import ClientError, NoCredentialsError, EndpointConnectionError
def handler(event, context):
    s3 = boto3.client("s3")
    out = {}
    try:
        s3.get_object(Bucket="bkt", Key="missing")
    except (NoCredentialsError, EndpointConnectionError):
        out["wrong"] = True
    except botocore.exceptions.BotoCoreError:
        out["wrong"] = True
    except ClientError:
        pass
    try:
        s3.get_object(Bucket="bkt", Key="missing")
    except s3.exceptions.NoSuchKey as e:
        out["nsk"] = [e.response["Error"]["Code"], e.response["Error"]["Key"],
                      e.response["ResponseMetadata"]["HTTPStatusCode"], e.operation_name, str(e)]
    try:
        s3.get_object(Bucket="nobucket", Key="k")
    except ClientError as e:
        out["nsb"] = [e.response["Error"]["Code"], type(e).__name__,
                      isinstance(e, s3.exceptions.NoSuchBucket),
                      isinstance(e, s3.exceptions.NoSuchKey)]
    try:
        s3.head_object(Bucket="bkt", Key="missing")
    except s3.exceptions.NoSuchKey:
        out["head"] = "modeled"
    except botocore.exceptions.ClientError as e:
        out["head"] = [e.response["Error"]["Code"], str(e)]
    try:
        s3.put_object(Bucket="bkt", Key="k", Body=5)
    except botocore.exceptions.ParamValidationError as e:
        out["param"] = str(e)
    try:
        s3.get_object(Bucket="bkt")
    except botocore.exceptions.BotoCoreError as e:
        out["missing"] = str(e)
    try:
        s3.get_object("b", "k")
    except TypeError as e:
        out["positional"] = str(e)
    try:
        s3.get_object(Bucket="bkt", Key="k", SSECustomerKey="x")
    except Exception as e:
        out["unknown"] = type(e).__name__
    out["delete_missing"] = s3.delete_object(Bucket="bkt", Key="nothing")["ResponseMetadata"]["HTTPStatusCode"]
    return out
"#;
        let out = run(src, &mut host).unwrap();
        assert_eq!(
            out["nsk"],
            serde_json::json!([
                "NoSuchKey",
                "missing",
                404,
                "GetObject",
                "An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist."
            ])
        );
        assert_eq!(
            out["nsb"],
            serde_json::json!(["NoSuchBucket", "NoSuchBucket", true, false])
        );
        assert_eq!(
            out["head"],
            serde_json::json!([
                "404",
                "An error occurred (404) when calling the HeadObject operation: Not Found"
            ])
        );
        assert_eq!(
            out["param"],
            "Parameter validation failed:\nInvalid type for parameter Body, value: 5, type: <class 'int'>, valid types: <class 'bytes'>"
        );
        assert_eq!(
            out["missing"],
            "Parameter validation failed:\nMissing required parameter in input: \"Key\""
        );
        assert_eq!(
            out["positional"],
            "get_object() only accepts keyword arguments."
        );
        assert_eq!(out["unknown"], "ParamValidationError");
        assert_eq!(out["delete_missing"], 204);
        assert!(out.get("wrong").is_none(), "{out}");
    }

    #[test]
    fn uncaught_s3_errors_and_hosts_without_s3() {
        let dir = tempfile::tempdir().unwrap();
        let (mut host, _s3) = host_with_store(dir.path());
        let src = r#"
import boto3
def handler(event, context):
    return boto3.client("s3").get_object(Bucket="bkt", Key="nope")
"#;
        let (ty, msg) = run(src, &mut host).unwrap_err();
        assert_eq!(ty, "NoSuchKey");
        assert!(msg.contains("GetObject"), "{msg}");
        // A host with no S3 service: NotImplemented, as a ClientError.
        let mut bare = StdHost::new(vec![], Duration::from_secs(10), LogSink::Stderr);
        let (ty, msg) = run(src, &mut bare).unwrap_err();
        assert_eq!(ty, "ClientError");
        assert!(msg.contains("(NotImplemented)"), "{msg}");
        assert!(msg.contains("--data"), "says how to get S3 locally: {msg}");
        let other = "import boto3\ndef handler(e, c):\n    return boto3.client('dynamodb')\n";
        assert_eq!(run(other, &mut bare).unwrap_err().0, "NotImplementedError");
    }

    #[test]
    fn boto3_dates_are_datetimes_and_conditions() {
        let dir = tempfile::tempdir().unwrap();
        let (mut host, s3) = host_with_store(dir.path());
        let src = r#"
import json
from datetime import datetime, timedelta, timezone
import boto3
from botocore.exceptions import ClientError, ParamValidationError
def handler(event, context):
    s3 = boto3.client("s3")
    etag = s3.put_object(Bucket="bkt", Key="k", Body=b"abc")["ETag"]
    h = s3.head_object(Bucket="bkt", Key="k")
    lm = h["LastModified"]
    g = s3.get_object(Bucket="bkt", Key="k")["LastModified"]
    listed = s3.list_objects_v2(Bucket="bkt")["Contents"][0]["LastModified"]
    day = timedelta(days=1)
    def status(**kw):
        try:
            return s3.get_object(Bucket="bkt", Key="k", **kw)["ResponseMetadata"]["HTTPStatusCode"]
        except ClientError as e:
            return e.response["Error"]["Code"]
        except ParamValidationError as e:
            return "ParamValidationError"
    return {
        "repr": repr(lm), "str": str(lm), "iso": lm.isoformat(), "ts": lm.timestamp(),
        "same": [g == lm, listed.replace(microsecond=0) == lm, lm.tzinfo is timezone.utc],
        "json": json.dumps({"t": lm}, default=str),
        "ims": [status(IfModifiedSince=lm - day), status(IfModifiedSince=lm),
                status(IfModifiedSince=(lm + day).isoformat()),
                status(IfModifiedSince="Thu, 01 Jan 1970 00:00:00 GMT"),
                status(IfModifiedSince=lm.replace(tzinfo=None) - day)],
        "ius": [status(IfUnmodifiedSince=lm), status(IfUnmodifiedSince=lm - day),
                status(IfMatch=etag, IfUnmodifiedSince=lm - day)],
        "versions": [status(VersionId="null"), status(VersionId="abc")],
        "bad": [status(IfModifiedSince="soon"), status(IfModifiedSince=None)],
    }
"#;
        let out = run(src, &mut host).unwrap();
        let ms = s3.store().head("bkt", "k").unwrap().last_modified_ms;
        let secs = ms / 1000;
        let (y, mo, d, h, mi, sec) = crate::lambda_api::auth::civil(secs);
        let text = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{sec:02}+00:00");
        assert_eq!(out["str"], text.as_str());
        assert_eq!(out["iso"], text.replace(' ', "T").as_str());
        let repr = out["repr"].as_str().unwrap();
        assert!(
            repr.starts_with(&format!("datetime.datetime({y}, {mo}, {d}, "))
                && repr.ends_with(", tzinfo=datetime.timezone.utc)"),
            "{repr}"
        );
        assert_eq!(out["ts"], secs as f64);
        assert_eq!(out["same"], serde_json::json!([true, true, true]));
        assert_eq!(out["json"], format!("{{\"t\": \"{text}\"}}").as_str());
        assert_eq!(out["ims"], serde_json::json!([200, "304", "304", 200, 200]));
        assert_eq!(
            out["ius"],
            serde_json::json!([200, "PreconditionFailed", 200])
        );
        assert_eq!(out["versions"], serde_json::json!([200, "InvalidArgument"]));
        assert_eq!(
            out["bad"],
            serde_json::json!(["ParamValidationError", "ParamValidationError"])
        );
    }

    /// A store so slow that one S3 call uses up the function's time.
    struct SlowStore(StdHost);

    impl Host for SlowStore {
        fn print(&mut self, text: &str) {
            self.0.print(text);
        }
        fn time_unix(&mut self) -> f64 {
            self.0.time_unix()
        }
        fn time_monotonic(&mut self) -> f64 {
            self.0.time_monotonic()
        }
        fn env_var(&mut self, name: &str) -> Option<String> {
            self.0.env_var(name)
        }
        fn env_vars(&mut self) -> Vec<(String, String)> {
            self.0.env_vars()
        }
        fn remaining_millis(&mut self) -> i64 {
            self.0.remaining_millis()
        }
        fn s3(&mut self, op: S3Op<'_>) -> Result<S3Reply, S3Failure> {
            let reply = self.0.s3(op);
            self.0.deadline = Instant::now();
            reply
        }
    }

    #[test]
    fn an_s3_call_past_the_deadline_times_the_function_out() {
        let dir = tempfile::tempdir().unwrap();
        let (host, _s3) = host_with_store(dir.path());
        let src = r#"
import boto3
def handler(event, context):
    try:
        boto3.client("s3").list_objects_v2(Bucket="bkt")
    except BaseException:
        return "caught"
    return "returned"
"#;
        let mut slow = SlowStore(host);
        match run_outcome(src, &mut slow) {
            Outcome::Err(e) => assert_eq!(e.error_type, "Sandbox.Timedout"),
            Outcome::Ok(r) => panic!("the function went on after its deadline: {r}"),
        }
    }
}
