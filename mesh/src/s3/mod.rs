//! The S3 API of a capable node: an object store in the data directory
//! ([`store`]), the S3 REST protocol on the node's HTTP endpoint ([`api`]),
//! and bucket notifications that invoke functions ([`notify`]).
//!
//! [`S3`] is the service every front end uses (HTTP handlers today;
//! functions in the VM and the CoAP `/s3` resources later): store calls
//! that change objects go through it so that notifications fire the same
//! way whoever made the change. It owns no protocol details.

pub mod api;
pub mod body;
pub mod coap;
pub mod error;
pub mod notify;
pub mod store;
pub mod xml;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::node::functions::{Functions, new_request_id};
pub use error::{S3Code, S3Error};
use notify::ObjectChange;
pub use store::{ListPage, ListQuery, ObjectMeta, ObjectStore, PutOptions};

/// The S3 service: the object store and the notification dispatcher.
pub struct S3 {
    store: ObjectStore,
    functions: Option<Arc<Functions>>,
    sequencer: AtomicU64,
}

/// ISO 8601 UTC with milliseconds (`2026-11-27T12:00:00.000Z`) of Unix ms.
pub fn iso8601(ms: u64) -> String {
    let (y, mo, d, h, mi, s) = crate::lambda_api::auth::civil(ms / 1000);
    format!(
        "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z",
        ms % 1000
    )
}

impl S3 {
    /// Open the store in `<data>/s3`; `functions` receives notifications.
    pub fn open(data_dir: &Path, functions: Option<Arc<Functions>>) -> Result<S3, S3Error> {
        Ok(S3 {
            store: ObjectStore::open(&data_dir.join("s3"))?,
            functions,
            sequencer: AtomicU64::new(0),
        })
    }

    /// Open the store of node data directory `data_dir` in a process other
    /// than its node (`nanolambda run --data`): read-write, raising no
    /// notifications (the node's event queue is not open here). Fails with
    /// an actionable message when the directory does not exist or a
    /// running node holds the store (redb locks it).
    pub fn open_local(data_dir: &Path) -> Result<S3, String> {
        if !data_dir.is_dir() {
            return Err(format!(
                "{} is not a directory (--data takes a node's data directory)",
                data_dir.display()
            ));
        }
        S3::open(data_dir, None).map_err(|e| e.message)
    }

    /// The object store (reads, buckets, multipart bookkeeping).
    pub fn store(&self) -> &ObjectStore {
        &self.store
    }

    /// Store `data` as `bucket/key` and notify (functions, CoAP).
    pub fn put_bytes(
        &self,
        bucket: &str,
        key: &str,
        data: &[u8],
        opts: PutOptions,
    ) -> Result<ObjectMeta, S3Error> {
        let meta = self.store.put_bytes(bucket, key, data, opts)?;
        self.object_created(&meta, "Put");
        Ok(meta)
    }

    /// Read `bucket/key` (or `start..end` of it) into memory.
    pub fn get_bytes(
        &self,
        bucket: &str,
        key: &str,
        range: Option<(u64, u64)>,
    ) -> Result<(ObjectMeta, Vec<u8>), S3Error> {
        self.store.get_bytes(bucket, key, range)
    }

    /// Delete `bucket/key` and notify if it existed.
    pub fn delete(&self, bucket: &str, key: &str) -> Result<Option<ObjectMeta>, S3Error> {
        let old = self.store.delete(bucket, key)?;
        if let Some(old) = &old {
            self.object_removed(old);
        }
        Ok(old)
    }

    /// Notify `ObjectCreated:<how>` (`Put`, `Copy`, `CompleteMultipartUpload`).
    pub fn object_created(&self, meta: &ObjectMeta, how: &str) {
        let event = format!("ObjectCreated:{how}");
        self.notify(&event, &meta.bucket, &meta.key, Some(meta));
    }

    /// Notify `ObjectRemoved:Delete`.
    pub fn object_removed(&self, meta: &ObjectMeta) {
        self.notify("ObjectRemoved:Delete", &meta.bucket, &meta.key, None);
    }

    /// Enqueue an asynchronous invocation per matching target (durably,
    /// through the node's event queue). Failures are logged: the object
    /// change itself has already succeeded, as in S3.
    fn notify(&self, event: &str, bucket: &str, key: &str, meta: Option<&ObjectMeta>) {
        let Some(functions) = &self.functions else {
            return;
        };
        let config = match self.store.bucket(bucket) {
            Ok(b) => b.notification,
            Err(_) => return,
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(0));
        let seq = self.sequencer.fetch_add(1, Ordering::Relaxed);
        let request_id = new_request_id();
        let time = iso8601(now);
        let change = ObjectChange {
            event,
            bucket,
            key,
            size: meta.map(|m| m.size),
            etag: meta.map(|m| m.etag.as_str()),
            time: &time,
            sequencer: format!("{now:012X}{seq:04X}"),
            request_id: &request_id,
        };
        for target in config.matching(event, key) {
            let Some((name, qualifier)) = notify::function_of_arn(&target.function_arn) else {
                continue;
            };
            let doc = notify::event_document(&change, &target.id).to_string();
            match functions.enqueue(&name, qualifier.as_deref(), doc.as_bytes()) {
                Ok(id) => tracing::info!(
                    bucket, key, function = %name, request_id = %id,
                    "s3 {event} queued an invocation"
                ),
                Err(e) => tracing::warn!(
                    bucket, key, function = %name,
                    "s3 {event} could not queue an invocation: {e}"
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_formats_milliseconds() {
        assert_eq!(iso8601(1_440_938_160_123), "2015-08-30T12:36:00.123Z");
    }
}
