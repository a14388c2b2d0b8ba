//! `boto3` in functions: `boto3.client("s3")` with `get_object`,
//! `put_object`, `head_object`, `delete_object` and `list_objects_v2`
//! (also through `get_paginator("list_objects_v2").paginate(...)`, which
//! returns the list of all pages),
//! keyword arguments and return dictionaries shaped like boto3's, served by
//! [`Host::s3`](super::Host::s3). Failures raise `ClientError` (or its
//! modeled subclasses `s3.exceptions.NoSuchKey`...) with boto3's
//! `response["Error"]["Code"]`, `operation_name` and message; bad
//! parameters raise `botocore.exceptions.ParamValidationError`.
//!
//! The client, `s3.exceptions` and `botocore.exceptions` are builtin
//! module values (no per-invocation objects). Responses are built as JSON
//! text and parsed into dicts (one small builder instead of one per
//! shape). Dates are Python's: the compiler links a small Python module
//! (`mesh/src/compiler/stdlib/_nanolambda_boto3.py`, with the bundled
//! `datetime`) into every package that imports boto3, and this code calls
//! it to make `LastModified` a UTC `datetime.datetime` and to read
//! `IfModifiedSince`/`IfUnmodifiedSince` (a package linked before that
//! module existed gets `LastModified` as the text of `str(datetime)`).
//! Deliberate differences from boto3: the `tzinfo` is
//! `datetime.timezone.utc` (boto3's is dateutil's `tzutc()`), `Body` is a
//! `StreamingBody` with `read(amt=None)` and `close()` only, and
//! parameters other than the documented ones are refused.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use super::builtins::Args;
use super::heap::{Heap, Kind};
use super::interp::{R, Raised, Vm};
use super::json::ParseFail;
use super::modules::{BODY, BOTOCORE, BOTOCORE_EXC, S3CLIENT, S3EXC};
use super::s3::{ReadConditions, S3Failure, S3Object, S3Op, S3Reply};
use super::value::{Value, ty};
use crate::pytext::json_text::write_json_str;

/// A boto3 call the VM serves.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `boto3.client(service, ...)`.
    Client,
    /// `s3.get_object`.
    Get,
    /// `s3.put_object`.
    Put,
    /// `s3.head_object`.
    Head,
    /// `s3.delete_object`.
    Delete,
    /// `s3.list_objects_v2`.
    List,
    /// `StreamingBody.read`.
    Read,
    /// `StreamingBody.close`.
    Close,
    /// `s3.get_paginator(name)`.
    GetPaginator,
    /// `paginator.paginate(**params)`.
    Paginate,
}

/// S3 error codes with a class of their own (`s3.exceptions.<code>`);
/// every other code raises `ClientError` itself.
static MODELED: &[(&str, u16)] = &[
    ("NoSuchKey", ty::NoSuchKey),
    ("NoSuchBucket", ty::NoSuchBucket),
    ("NoSuchUpload", ty::NoSuchUpload),
    ("BucketAlreadyExists", ty::BucketAlreadyExists),
    ("BucketAlreadyOwnedByYou", ty::BucketAlreadyOwnedByYou),
    ("InvalidObjectState", ty::InvalidObjectState),
];

/// Attributes of the boto3 module values other than their functions.
pub fn module_attr(m: u16, name: &str) -> Option<Value> {
    let t = match (m, name) {
        (BOTOCORE, "exceptions") => return Some(Value::BModule(BOTOCORE_EXC)),
        (S3CLIENT, "exceptions") => return Some(Value::BModule(S3EXC)),
        (BOTOCORE_EXC | S3EXC, "ClientError") => ty::ClientError,
        (BOTOCORE_EXC, "BotoCoreError") => ty::BotoCoreError,
        (BOTOCORE_EXC, "ParamValidationError") => ty::ParamValidationError,
        // Never raised here (no credentials, no network), but often caught.
        (BOTOCORE_EXC, "NoCredentialsError") => ty::NoCredentialsError,
        (BOTOCORE_EXC, "EndpointConnectionError") => ty::EndpointConnectionError,
        (S3EXC, _) => MODELED.iter().find(|e| e.0 == name)?.1,
        _ => return None,
    };
    Some(Value::Type(t))
}

/// The package module with the Python half of boto3 (see the module doc).
const SUPPORT_MODULE: &str = "_nanolambda_boto3";

/// Parameters each operation accepts (required ones first).
fn accepted(c: Call) -> &'static [&'static str] {
    match c {
        Call::Get => &[
            "Bucket",
            "Key",
            "Range",
            "IfMatch",
            "IfNoneMatch",
            "IfModifiedSince",
            "IfUnmodifiedSince",
            "VersionId",
        ],
        Call::Head => &[
            "Bucket",
            "Key",
            "IfMatch",
            "IfNoneMatch",
            "IfModifiedSince",
            "IfUnmodifiedSince",
            "VersionId",
        ],
        Call::Delete => &["Bucket", "Key"],
        Call::Put => &["Bucket", "Key", "Body", "ContentType", "Metadata"],
        Call::List => &[
            "Bucket",
            "Prefix",
            "Delimiter",
            "MaxKeys",
            "ContinuationToken",
            "StartAfter",
        ],
        _ => &[],
    }
}

fn operation(c: Call) -> (&'static str, &'static str) {
    match c {
        Call::Get => ("GetObject", "get_object"),
        Call::Put => ("PutObject", "put_object"),
        Call::Head => ("HeadObject", "head_object"),
        Call::Delete => ("DeleteObject", "delete_object"),
        _ => ("ListObjectsV2", "list_objects_v2"),
    }
}

/// HTTP reason phrase (what botocore reports for errors without a body).
fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        304 => "Not Modified",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        416 => "Requested Range Not Satisfiable",
        412 => "Precondition Failed",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

/// The bytes a `Body=` value stands for: `bytes`, `str` (UTF-8) or the
/// unread rest of a `StreamingBody`.
fn body_bytes<'x>(heap: &'x Heap<'_>, v: Value) -> Option<&'x [u8]> {
    let Value::Obj(r) = v else { return None };
    let at = r as usize;
    match heap.kind(r) {
        Kind::Bytes => Some(heap.bytes(at + 2, heap.get(at + 1) as usize)),
        Kind::Str => Some(heap.bytes(at + 4, heap.get(at + 1) as usize)),
        Kind::Inst if heap.val(at + 1) == Value::Type(ty::StreamingBody) => {
            let data = body_bytes(heap, heap.val(at + 5))?;
            let Value::Int(pos) = heap.val(at + 7) else {
                return None;
            };
            data.get(usize::try_from(pos).ok()?..)
        }
        _ => None,
    }
}

/// `str(datetime)` of a UTC instant: `2026-11-27 12:00:00+00:00`, with
/// `.ffffff` when there are milliseconds.
fn push_datetime(out: &mut String, ms: u64) {
    let [y, m, d, hh, mm, ss, us] = civil(ms);
    let _ = write!(out, "{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}");
    if us != 0 {
        let _ = write!(out, ".{us:06}");
    }
    out.push_str("+00:00");
}

/// Year, month, day, hour, minute, second and microsecond (UTC) of Unix
/// milliseconds `ms`.
fn civil(ms: u64) -> [i64; 7] {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = (secs % 86_400) as i64;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let us = (ms % 1000) as i64 * 1000;
    [y, m, d, rem / 3600, rem / 60 % 60, rem % 60, us]
}

/// `"name": ` followed by the JSON string `value`.
fn push_str_field(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, "\"{name}\": ");
    write_json_str(value, false, out);
    out.push_str(", ");
}

/// The `ResponseMetadata` member (the last one: no trailing comma).
fn push_response_metadata(out: &mut String, status: u16) {
    let _ = write!(
        out,
        "\"ResponseMetadata\": {{\"RequestId\": \"\", \"HTTPStatusCode\": {status}, \
         \"HTTPHeaders\": {{}}, \"RetryAttempts\": 0}}"
    );
}

/// The members `head_object`/`get_object` return for an object.
fn push_object_fields(out: &mut String, o: &S3Object) {
    push_str_field(out, "AcceptRanges", "bytes");
    // Unix ms, made a datetime after parsing ([`Vm::dates_in`]); from the
    // Last-Modified header: whole seconds.
    let _ = write!(
        out,
        "\"LastModified\": {}",
        o.last_modified_ms / 1000 * 1000
    );
    match o.range {
        Some((start, end)) => {
            let _ = write!(
                out,
                ", \"ContentLength\": {}, \"ContentRange\": \"bytes {start}-{}/{}\", ",
                end.saturating_sub(start),
                end.saturating_sub(1),
                o.size
            );
        }
        None => {
            let _ = write!(out, ", \"ContentLength\": {}, ", o.size);
        }
    }
    push_str_field(out, "ETag", &alloc::format!("\"{}\"", o.etag));
    push_str_field(out, "ContentType", &o.content_type);
    out.push_str("\"Metadata\": {");
    for (i, (k, v)) in o.metadata.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_json_str(k, false, out);
        out.push_str(": ");
        write_json_str(v, false, out);
    }
    out.push_str("}, ");
}

/// Owned parameters of one S3 call.
#[derive(Default)]
struct Params {
    bucket: String,
    key: String,
    content_type: Option<String>,
    metadata: Vec<(String, String)>,
    prefix: String,
    delimiter: Option<String>,
    continuation_token: Option<String>,
    start_after: Option<String>,
    max_keys: u32,
    range: Option<String>,
    if_match: Option<String>,
    if_none_match: Option<String>,
    /// `IfModifiedSince`, Unix seconds.
    if_modified_since: Option<i64>,
    /// `IfUnmodifiedSince`, Unix seconds.
    if_unmodified_since: Option<i64>,
    version_id: Option<String>,
}

impl Vm<'_, '_> {
    /// Run boto3 call `c` with arguments `a`.
    pub fn boto3_call(&mut self, c: Call, a: &Args) -> R<Value> {
        match c {
            Call::Client => self.boto3_client(a),
            Call::Read | Call::Close => self.body_call(c, a),
            Call::GetPaginator => match a.get(0).or_else(|| a.kw("operation_name")) {
                Some(v) if self.str_of(v) == Some("list_objects_v2") => {
                    Ok(Value::BModule(super::modules::PAGINATOR))
                }
                _ => Err(self.raise(
                    ty::NotImplementedError,
                    "only the list_objects_v2 paginator is available on this node",
                )),
            },
            Call::Paginate => self.paginate(a),
            _ => self.s3_call(c, a),
        }
    }

    /// Every page of a listing, as a list (boto3 yields them lazily).
    fn paginate(&mut self, a: &Args) -> R<Value> {
        let mut args = Args {
            pos: a.pos.clone(),
            kw: a
                .kw
                .iter()
                .filter(|(k, _)| k != "ContinuationToken")
                .cloned()
                .collect(),
        };
        let pages = self.new_list(0)?;
        self.roots.push(pages);
        let done = (|| {
            loop {
                let page = self.s3_call(Call::List, &args)?;
                self.roots.push(page);
                let pushed = self.list_append(pages, page);
                self.roots.pop();
                pushed?;
                let key = self.new_str("NextContinuationToken")?;
                let Some(token) = self.dict_get_str(page, key) else {
                    return Ok(());
                };
                // The token stays reachable through the page in `pages`.
                args.kw.retain(|(k, _)| k != "ContinuationToken");
                args.kw.push((String::from("ContinuationToken"), token));
            }
        })();
        self.roots.pop();
        done.map(|()| pages)
    }

    fn boto3_client(&mut self, a: &Args) -> R<Value> {
        let service = a.get(0).or_else(|| a.kw("service_name"));
        match service.and_then(|s| self.str_of(s)) {
            Some("s3") => Ok(Value::BModule(S3CLIENT)),
            Some(other) => {
                let other = String::from(other);
                Err(self.raise_fmt(
                    ty::NotImplementedError,
                    format_args!(
                        "boto3 client '{other}' is not available on this node (only 's3')"
                    ),
                ))
            }
            None => Err(self.raise(
                ty::TypeError,
                "client() missing 1 required positional argument: 'service_name'",
            )),
        }
    }

    fn param_error(&mut self, detail: core::fmt::Arguments<'_>) -> Raised {
        self.raise_fmt(
            ty::ParamValidationError,
            format_args!("Parameter validation failed:\n{detail}"),
        )
    }

    /// Keyword `name` as text: `None` when absent (or `None` when optional).
    fn str_param(&mut self, a: &Args, name: &str, required: bool) -> R<Option<String>> {
        match a.kw(name) {
            None if required => Err(self.param_error(format_args!(
                "Missing required parameter in input: \"{name}\""
            ))),
            None => Ok(None),
            Some(v) => match self.str_of(v) {
                Some(s) => Ok(Some(String::from(s))),
                None => Err(self.type_param_error(name, v, "str")),
            },
        }
    }

    fn type_param_error(&mut self, name: &str, v: Value, want: &str) -> Raised {
        let t = self.type_name_of(v);
        let shown = self.repr(v).unwrap_or_default();
        self.param_error(format_args!(
            "Invalid type for parameter {name}, value: {shown}, type: <class '{t}'>, \
             valid types: <class '{want}'>"
        ))
    }

    fn s3_params(&mut self, c: Call, a: &Args) -> R<Params> {
        let (_, method) = operation(c);
        if !a.pos.is_empty() {
            return Err(self.raise_fmt(
                ty::TypeError,
                format_args!("{method}() only accepts keyword arguments."),
            ));
        }
        let ok = accepted(c);
        if let Some((k, _)) = a.kw.iter().find(|(k, _)| !ok.contains(&k.as_str())) {
            let k = k.clone();
            let all = ok.join(", ");
            return Err(self.param_error(format_args!(
                "Unknown parameter in input: \"{k}\", must be one of: {all}"
            )));
        }
        let mut p = Params {
            bucket: self.str_param(a, "Bucket", true)?.unwrap_or_default(),
            max_keys: 1000,
            ..Params::default()
        };
        if matches!(c, Call::Get | Call::Head | Call::Delete | Call::Put) {
            p.key = self.str_param(a, "Key", true)?.unwrap_or_default();
        }
        p.content_type = self.str_param(a, "ContentType", false)?;
        p.prefix = self.str_param(a, "Prefix", false)?.unwrap_or_default();
        p.delimiter = self.str_param(a, "Delimiter", false)?;
        p.continuation_token = self.str_param(a, "ContinuationToken", false)?;
        p.start_after = self.str_param(a, "StartAfter", false)?;
        p.range = self.str_param(a, "Range", false)?;
        p.if_match = self.str_param(a, "IfMatch", false)?;
        p.if_none_match = self.str_param(a, "IfNoneMatch", false)?;
        p.version_id = self.str_param(a, "VersionId", false)?;
        p.if_modified_since = self.time_param(a, "IfModifiedSince")?;
        p.if_unmodified_since = self.time_param(a, "IfUnmodifiedSince")?;
        match a.kw("MaxKeys") {
            None => {}
            Some(Value::Int(n)) => p.max_keys = n.clamp(0, 1000) as u32,
            Some(v) => return Err(self.type_param_error("MaxKeys", v, "int")),
        }
        if let Some(m) = a.kw("Metadata") {
            let items = match m {
                Value::Obj(r) if self.heap.kind(r) == Kind::Dict => self.dict_items(r),
                _ => return Err(self.type_param_error("Metadata", m, "dict")),
            };
            for (k, v) in items {
                match (self.str_of(k), self.str_of(v)) {
                    // Header names: S3 keeps them lowercase.
                    (Some(k), Some(v)) => p.metadata.push((k.to_ascii_lowercase(), v.into())),
                    (Some(_), None) => return Err(self.type_param_error("Metadata", v, "str")),
                    _ => return Err(self.type_param_error("Metadata", k, "str")),
                }
            }
        }
        Ok(p)
    }

    /// Call `name(arg)` of the Python half of boto3; `None` when the
    /// package has no such module (linked before it existed).
    fn support_call(&mut self, name: &str, args: &[Value]) -> R<Option<Value>> {
        let prog = self.prog;
        let Some(mi) = prog.m.table.modules.iter().position(|m| {
            prog.m.string(m.name) == SUPPORT_MODULE && prog.m.string(m.file).starts_with("stdlib/")
        }) else {
            return Ok(None);
        };
        let rooted = self.roots.len();
        self.roots.extend_from_slice(args);
        let called = (|| {
            let module = self.import_package_module(mi)?;
            self.roots.push(module);
            let f = self.new_str(name).and_then(|k| self.getattr(module, k));
            self.roots.pop();
            self.call(f?, args)
        })();
        self.roots.truncate(rooted);
        called.map(Some)
    }

    /// Keyword `name` as a timestamp (a `datetime`, naive ones being UTC,
    /// an epoch number or a date string, as botocore reads them), in
    /// whole Unix seconds.
    fn time_param(&mut self, a: &Args, name: &str) -> R<Option<i64>> {
        let Some(v) = a.kw(name) else {
            return Ok(None);
        };
        match self.support_call("epoch_seconds", &[v]) {
            Ok(Some(Value::Int(s))) => return Ok(Some(s)),
            Ok(Some(_)) => {}
            Ok(None) => {
                return Err(self.param_error(format_args!(
                    "{name} needs the package to be compiled again (its boto3 support \
                     predates date parameters)"
                )));
            }
            Err(_) if self.raised_is(ty::TypeError) || self.raised_is(ty::ValueError) => {}
            Err(r) => return Err(r),
        }
        let t = self.type_name_of(v);
        let shown = match self.str_value(v) {
            Ok(s) => String::from(self.str_of(s).unwrap_or_default()),
            Err(r) => return Err(r),
        };
        Err(self.param_error(format_args!(
            "Invalid type for parameter {name}, value: {shown}, type: <class '{t}'>, \
             valid types: <class 'datetime.datetime'>, timestamp-string"
        )))
    }

    /// `LastModified` of Unix milliseconds `ms`: a UTC `datetime`.
    fn last_modified(&mut self, ms: i64) -> R<Value> {
        let ms = u64::try_from(ms).unwrap_or(0);
        let fields = civil(ms).map(Value::Int);
        if let Some(v) = self.support_call("last_modified", &fields)? {
            return Ok(v);
        }
        let mut text = String::new();
        push_datetime(&mut text, ms);
        self.new_str(&text)
    }

    /// Turn the Unix-millisecond `LastModified` of response `d` (and of
    /// each of its `Contents`) into datetimes; `d` is rooted by the caller.
    fn dates_in(&mut self, d: Value) -> R<()> {
        let key = self.new_str("LastModified")?;
        self.roots.push(key);
        let done = (|| {
            if let Some(Value::Int(ms)) = self.dict_get_str(d, key) {
                let v = self.last_modified(ms)?;
                self.dict_set(d, key, v)?;
            }
            let contents = self.new_str("Contents")?;
            let Some(list) = self.dict_get_str(d, contents) else {
                return Ok(());
            };
            for entry in self.seq_items(list).unwrap_or_default() {
                if let Some(Value::Int(ms)) = self.dict_get_str(entry, key) {
                    let v = self.last_modified(ms)?;
                    self.dict_set(entry, key, v)?;
                }
            }
            Ok(())
        })();
        self.roots.pop();
        done
    }

    /// One S3 operation: validate, ask the host, shape the answer.
    fn s3_call(&mut self, c: Call, a: &Args) -> R<Value> {
        if self.heap.gc_wanted {
            // Safe point: the arguments are on the VM stack, nothing else is held.
            self.gc();
        }
        let p = self.s3_params(c, a)?;
        let body = a.kw("Body").unwrap_or(Value::None);
        if c == Call::Put && body != Value::None && body_bytes(&self.heap, body).is_none() {
            return Err(self.type_param_error("Body", body, "bytes"));
        }
        let (b, k) = (p.bucket.as_str(), p.key.as_str());
        let cond = ReadConditions {
            range: p.range.as_deref(),
            if_match: p.if_match.as_deref(),
            if_none_match: p.if_none_match.as_deref(),
            if_modified_since: p.if_modified_since,
            if_unmodified_since: p.if_unmodified_since,
            version_id: p.version_id.as_deref(),
        };
        let op = match c {
            Call::Get => S3Op::Get {
                bucket: b,
                key: k,
                cond,
            },
            Call::Head => S3Op::Head {
                bucket: b,
                key: k,
                cond,
            },
            Call::Delete => S3Op::Delete { bucket: b, key: k },
            Call::Put => S3Op::Put {
                bucket: b,
                key: k,
                body: body_bytes(&self.heap, body).unwrap_or_default(),
                content_type: p.content_type.as_deref(),
                metadata: &p.metadata,
            },
            _ => S3Op::List {
                bucket: b,
                prefix: &p.prefix,
                delimiter: p.delimiter.as_deref().filter(|d| !d.is_empty()),
                start_after: p.start_after.as_deref().filter(|s| !s.is_empty()),
                continuation_token: p.continuation_token.as_deref(),
                max_keys: p.max_keys,
            },
        };
        let reply = self.host.s3(op);
        if self.host.remaining_millis() <= 0 {
            return Err(self.timeout());
        }
        let mut out = String::from("{");
        let mut data = None;
        match (c, reply) {
            (_, Err(f)) => return Err(self.client_error(c, &p, f)),
            (Call::Get, Ok(S3Reply::Object(o, bytes))) => {
                push_object_fields(&mut out, &o);
                data = Some(bytes);
                push_response_metadata(&mut out, if o.range.is_some() { 206 } else { 200 });
            }
            (Call::Head, Ok(S3Reply::Head(o))) => {
                push_object_fields(&mut out, &o);
                push_response_metadata(&mut out, 200);
            }
            (Call::Put, Ok(S3Reply::Put { etag })) => {
                push_str_field(&mut out, "ETag", &alloc::format!("\"{etag}\""));
                push_response_metadata(&mut out, 200);
            }
            (Call::Delete, Ok(S3Reply::Deleted)) => push_response_metadata(&mut out, 204),
            (Call::List, Ok(S3Reply::List(l))) => {
                let _ = write!(out, "\"IsTruncated\": {}, ", l.is_truncated);
                if !l.objects.is_empty() {
                    out.push_str("\"Contents\": [");
                    for (i, o) in l.objects.iter().enumerate() {
                        out.push_str(if i > 0 { ", {" } else { "{" });
                        push_str_field(&mut out, "Key", &o.key);
                        let _ = write!(out, "\"LastModified\": {}, ", o.last_modified_ms);
                        push_str_field(&mut out, "ETag", &alloc::format!("\"{}\"", o.etag));
                        let _ = write!(
                            out,
                            "\"Size\": {}, \"StorageClass\": \"STANDARD\"}}",
                            o.size
                        );
                    }
                    out.push_str("], ");
                }
                push_str_field(&mut out, "Name", &p.bucket);
                push_str_field(&mut out, "Prefix", &p.prefix);
                if let Some(d) = &p.delimiter {
                    push_str_field(&mut out, "Delimiter", d);
                }
                let _ = write!(out, "\"MaxKeys\": {}, ", p.max_keys);
                if !l.common_prefixes.is_empty() {
                    out.push_str("\"CommonPrefixes\": [");
                    for (i, cp) in l.common_prefixes.iter().enumerate() {
                        out.push_str(if i > 0 {
                            ", {\"Prefix\": "
                        } else {
                            "{\"Prefix\": "
                        });
                        write_json_str(cp, false, &mut out);
                        out.push('}');
                    }
                    out.push_str("], ");
                }
                let count = l.objects.len() + l.common_prefixes.len();
                let _ = write!(out, "\"KeyCount\": {count}, ");
                if let Some(t) = &p.continuation_token {
                    push_str_field(&mut out, "ContinuationToken", t);
                }
                if let Some(t) = &l.next_continuation_token {
                    push_str_field(&mut out, "NextContinuationToken", t);
                }
                if let Some(s) = &p.start_after {
                    push_str_field(&mut out, "StartAfter", s);
                }
                push_response_metadata(&mut out, 200);
            }
            (_, Ok(_)) => {
                let f = S3Failure::new("InternalError", "the node answered another operation", 500);
                return Err(self.client_error(c, &p, f));
            }
        }
        out.push('}');
        let result = self.dict_from_json(&out)?;
        self.roots.push(result);
        let made = self.dates_in(result).and_then(|()| match data {
            Some(bytes) => {
                let b = self.new_body(&bytes)?;
                let k = self.new_str("Body")?;
                self.dict_set(result, k, b)
            }
            None => Ok(()),
        });
        self.roots.pop();
        made.map(|()| result)
    }

    fn dict_from_json(&mut self, text: &str) -> R<Value> {
        match self.json_parse(text) {
            Ok(v) => Ok(v),
            Err(ParseFail::Raised(r)) => Err(r),
            Err(ParseFail::Syntax(_)) => Err(self.internal("boto3 response")),
        }
    }

    /// Raise the `ClientError` (or modeled subclass) for failure `f`.
    fn client_error(&mut self, c: Call, p: &Params, f: S3Failure) -> Raised {
        let (opname, _) = operation(c);
        // HEAD answers and 304 carry no error document: botocore reports
        // the status.
        let (code, message) = if c == Call::Head || f.status == 304 {
            (
                alloc::format!("{}", f.status),
                String::from(reason(f.status)),
            )
        } else {
            (f.code, f.message)
        };
        let mut doc = String::from("{\"Error\": {");
        push_str_field(&mut doc, "Code", &code);
        match code.as_str() {
            "NoSuchKey" => push_str_field(&mut doc, "Key", &p.key),
            "NoSuchBucket" => push_str_field(&mut doc, "BucketName", &p.bucket),
            _ => {}
        }
        doc.push_str("\"Message\": ");
        write_json_str(&message, false, &mut doc);
        doc.push_str("}, ");
        push_response_metadata(&mut doc, f.status);
        doc.push('}');
        let class = MODELED
            .iter()
            .find(|e| e.0 == code)
            .map_or(ty::ClientError, |e| e.1);
        let text = alloc::format!(
            "An error occurred ({code}) when calling the {opname} operation: {message}"
        );
        let made = (|| {
            let response = self.dict_from_json(&doc)?;
            self.roots.push(response);
            let e = (|| {
                let s = self.new_str(&text)?;
                self.roots.push(s);
                let args = self.new_tuple(&[s]);
                self.roots.pop();
                let e = self.new_exc(Value::Type(class), args?)?;
                self.roots.push(e);
                let set = (|| {
                    let k = self.new_str("response")?;
                    self.setattr(e, k, response)?;
                    let k = self.new_str("operation_name")?;
                    self.roots.push(k);
                    let v = self.new_str(opname);
                    self.roots.pop();
                    self.setattr(e, k, v?)
                })();
                self.roots.pop();
                set.map(|()| e)
            })();
            self.roots.pop();
            e
        })();
        match made {
            Ok(e) => {
                self.exc = e;
                Raised
            }
            Err(r) => r,
        }
    }

    /// A `StreamingBody` over `bytes`: the data in the instance's `args`
    /// slot, the read position in its `__cause__` slot (both hidden from
    /// Python: it is no exception), `read`/`close` bound in its dict.
    fn new_body(&mut self, bytes: &[u8]) -> R<Value> {
        let data = self.new_bytes(bytes)?;
        self.roots.push(data);
        let made = (|| {
            let body = self.new_exc(Value::Type(ty::StreamingBody), data)?;
            let Value::Obj(r) = body else {
                return Err(self.internal("StreamingBody"));
            };
            self.heap.set_val(r as usize + 7, Value::Int(0));
            self.roots.push(body);
            let filled = (|| {
                let d = self.new_dict()?;
                self.heap.set_val(r as usize + 3, d);
                for name in ["read", "close"] {
                    let id = super::modules::modfn_id(BODY, name).unwrap_or(0);
                    let bound = self.new_pair(Kind::Bound, Value::Native(id), body)?;
                    self.roots.push(bound);
                    let k = self.new_str(name);
                    self.roots.pop();
                    self.dict_set(d, k?, bound)?;
                }
                Ok(())
            })();
            self.roots.pop();
            filled.map(|()| body)
        })();
        self.roots.pop();
        made
    }

    /// `body.read(amt=None)` / `body.close()` (`self` is the first argument).
    fn body_call(&mut self, c: Call, a: &Args) -> R<Value> {
        let body = a.get(0).unwrap_or(Value::None);
        let Value::Obj(r) = body else {
            return Err(self.internal("StreamingBody"));
        };
        let data = self.heap.val(r as usize + 5);
        let len = self.bytes_of(data).map_or(0, <[u8]>::len);
        let pos = match self.heap.val(r as usize + 7) {
            Value::Int(p) => usize::try_from(p).unwrap_or(0).min(len),
            _ => len,
        };
        if c == Call::Close {
            self.heap.set_val(r as usize + 7, Value::Int(len as i64));
            return Ok(Value::None);
        }
        let end = match a.get(1).or_else(|| a.kw("amt")) {
            None | Some(Value::None) => len,
            Some(Value::Int(n)) if n < 0 => len,
            Some(Value::Int(n)) => pos.saturating_add(usize::try_from(n).unwrap_or(0)).min(len),
            Some(v) => {
                let t = self.type_name_of(v);
                return Err(self.raise_fmt(
                    ty::TypeError,
                    format_args!("'{t}' object cannot be interpreted as an integer"),
                ));
            }
        };
        let chunk: Vec<u8> = self
            .bytes_of(data)
            .and_then(|d| d.get(pos..end))
            .map(<[u8]>::to_vec)
            .unwrap_or_default();
        let out = self.new_bytes(&chunk)?;
        self.heap.set_val(r as usize + 7, Value::Int(end as i64));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_text_matches_python() {
        let mut s = String::new();
        push_datetime(&mut s, 1_440_938_160_000);
        assert_eq!(s, "2015-08-30 12:36:00+00:00");
        s.clear();
        push_datetime(&mut s, 951_782_400_123); // 2000-02-29 00:00:00.123
        assert_eq!(s, "2000-02-29 00:00:00.123000+00:00");
        s.clear();
        push_datetime(&mut s, 0);
        assert_eq!(s, "1970-01-01 00:00:00+00:00");
        assert_eq!(civil(951_782_400_123), [2000, 2, 29, 0, 0, 0, 123_000]);
        assert_eq!(
            civil(1_795_867_199_999),
            [2026, 11, 28, 11, 59, 59, 999_000]
        );
    }
}
