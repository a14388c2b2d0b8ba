//! The object store behind the S3 API: buckets, objects, multipart uploads
//! and bucket notification configurations, as plain blocking Rust calls
//! (no HTTP): the S3 HTTP handlers, functions inside the VM and the CoAP
//! `/s3` resources all go through here.
//!
//! Layout under `<data>/s3/`:
//! - `s3.redb`: the metadata database (its own redb file, so the object
//!   store and the function store commit independently), tables
//!   `buckets` (name → [`BucketRecord`] JSON), `objects` (`bucket\0key` →
//!   [`ObjectMeta`] JSON), `uploads` (upload id → [`UploadRecord`] JSON),
//!   `parts` (`uploadid\0NNNNN` → [`PartRecord`] JSON);
//! - `objects/<id>`: object and part bodies, one file each, named by a
//!   random id never reused;
//! - `tmp/`: bodies being received.
//!
//! Crash safety: a body is written to `tmp/`, fsynced, renamed into
//! `objects/` (directory fsynced), and only then does one redb write
//! transaction (fsynced on commit) point the key at it. A crash before the
//! commit leaves the old object in place and an unreferenced file, removed
//! at the next open; a crash after it leaves the new object. Readers open
//! the file named in the metadata they read, so they never see a mix.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use md5::{Digest, Md5};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use super::body::{BodyDigests, Checksum, ChecksumAlgorithm, Digests, Md5Lane};
use super::error::{S3Code, S3Error};
use super::notify::NotificationConfig;
use crate::lambda_api::auth::hex;
use crate::store::unix_ms;

const BUCKETS: TableDefinition<&str, &[u8]> = TableDefinition::new("buckets");
const OBJECTS: TableDefinition<&str, &[u8]> = TableDefinition::new("objects");
const UPLOADS: TableDefinition<&str, &[u8]> = TableDefinition::new("uploads");
const PARTS: TableDefinition<&str, &[u8]> = TableDefinition::new("parts");

/// Largest object a single PUT (or a part) may carry: 5 GiB, as S3.
pub const MAX_OBJECT_SIZE: u64 = 5 * 1024 * 1024 * 1024;
/// Smallest part (all but the last) of a multipart upload.
pub const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;
/// Highest part number.
pub const MAX_PART_NUMBER: u32 = 10_000;
/// Longest key in bytes.
pub const MAX_KEY_LEN: usize = 1024;
/// Longest total of user metadata (keys + values) in bytes.
pub const MAX_META_BYTES: usize = 2048;

/// A bucket's record.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct BucketRecord {
    /// Bucket name.
    pub name: String,
    /// Creation time, Unix milliseconds.
    pub created_ms: u64,
    /// Notification configuration (empty: none).
    #[serde(default)]
    pub notification: NotificationConfig,
}

/// What is known about one object.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ObjectMeta {
    /// Bucket.
    pub bucket: String,
    /// Key.
    pub key: String,
    /// Size in bytes.
    pub size: u64,
    /// ETag without quotes (hex MD5, or `md5-of-md5s-N`).
    pub etag: String,
    /// Last modification, Unix milliseconds.
    pub last_modified_ms: u64,
    /// `Content-Type`.
    pub content_type: String,
    /// Other standard headers stored as given (`Content-Encoding`,
    /// `Content-Disposition`, `Cache-Control`, `Content-Language`, `Expires`).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// `x-amz-meta-*` (names lowercase, without the prefix).
    #[serde(default)]
    pub user_meta: Vec<(String, String)>,
    /// The verified flexible checksum of the whole body, if one was sent.
    #[serde(default)]
    pub checksum: Option<Checksum>,
    /// Number of parts for a multipart object.
    #[serde(default)]
    pub parts: Option<u32>,
    /// Body file id in `objects/`.
    pub file: String,
}

/// How to store an object (besides its body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutOptions {
    /// `Content-Type` (default `binary/octet-stream`, as S3).
    pub content_type: Option<String>,
    /// Other standard headers kept with the object.
    pub headers: Vec<(String, String)>,
    /// `x-amz-meta-*`.
    pub user_meta: Vec<(String, String)>,
}

/// A multipart upload in progress.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct UploadRecord {
    /// Upload id.
    pub id: String,
    /// Bucket.
    pub bucket: String,
    /// Key.
    pub key: String,
    /// Initiation, Unix milliseconds.
    pub initiated_ms: u64,
    /// What the object gets on completion.
    pub content_type: Option<String>,
    /// Headers kept with the object.
    pub headers: Vec<(String, String)>,
    /// `x-amz-meta-*`.
    pub user_meta: Vec<(String, String)>,
    /// `x-amz-checksum-algorithm` given at creation.
    pub checksum_algorithm: Option<ChecksumAlgorithm>,
}

/// One uploaded part.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PartRecord {
    /// Part number (1..=10000).
    pub number: u32,
    /// Hex MD5 of the part.
    pub etag: String,
    /// Size in bytes.
    pub size: u64,
    /// Upload time, Unix milliseconds.
    pub last_modified_ms: u64,
    /// The part's flexible checksum, if sent.
    #[serde(default)]
    pub checksum: Option<Checksum>,
    /// Body file id in `objects/`.
    pub file: String,
}

/// Listing parameters (ListObjects v1/v2, ListObjectVersions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Only keys starting with this.
    pub prefix: String,
    /// Roll keys up to the first occurrence of this after the prefix.
    pub delimiter: Option<String>,
    /// Start strictly after this key (or common prefix).
    pub after: Option<String>,
    /// Most entries (keys + common prefixes), 0..=1000.
    pub max_keys: usize,
}

/// One page of a listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListPage {
    /// Objects, in key order.
    pub objects: Vec<ObjectMeta>,
    /// Common prefixes, in order.
    pub common_prefixes: Vec<String>,
    /// More entries follow.
    pub truncated: bool,
    /// The last key or common prefix returned (the next marker).
    pub last: Option<String>,
}

/// A body being received into `tmp/`, with its digests.
pub struct PendingBody {
    file: io::BufWriter<File>,
    path: PathBuf,
    id: String,
    digests: BodyDigests,
    /// The MD5 on its own thread, once the body passed [`MD5_LANE_FROM`].
    md5_lane: Option<Md5Lane>,
    limit: u64,
    done: bool,
}

/// Body size from which the MD5 runs on its own thread ([`Md5Lane`]):
/// below it a thread costs more than it saves.
const MD5_LANE_FROM: u64 = 4 << 20;

impl PendingBody {
    /// Append body bytes.
    pub fn write(&mut self, data: &[u8]) -> Result<(), S3Error> {
        if self.digests.bytes().saturating_add(data.len() as u64) > self.limit {
            return Err(S3Error::new(
                S3Code::EntityTooLarge,
                "Your proposed upload exceeds the maximum allowed object size.",
            ));
        }
        if let Some(lane) = &mut self.md5_lane {
            lane.update(data)?;
        }
        self.digests.update(data);
        if self.md5_lane.is_none()
            && self.digests.bytes() >= MD5_LANE_FROM
            && let Some(md5) = self.digests.take_md5()
        {
            match Md5Lane::start(md5) {
                Ok(lane) => self.md5_lane = Some(lane),
                Err(md5) => self.digests.put_md5(md5),
            }
        }
        self.file.write_all(data)?;
        Ok(())
    }

    /// Flush and fsync; returns the digests.
    fn seal(mut self) -> Result<(Digests, PathBuf, String), S3Error> {
        self.file.flush()?;
        self.file.get_ref().sync_all()?;
        if let Some(lane) = self.md5_lane.take() {
            self.digests.put_md5(lane.finish()?);
        }
        self.done = true;
        let digests = std::mem::replace(&mut self.digests, BodyDigests::new(false, None)).finish();
        Ok((digests, self.path.clone(), self.id.clone()))
    }
}

impl Drop for PendingBody {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A sealed body: fsynced in `tmp/`, digests known, not yet an object.
pub struct SealedBody {
    /// Its digests.
    pub digests: Digests,
    path: PathBuf,
    id: String,
    kept: bool,
}

impl Drop for SealedBody {
    fn drop(&mut self) {
        if !self.kept {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Whether `name` follows S3's bucket naming rules.
pub fn valid_bucket_name(name: &str) -> bool {
    let b = name.as_bytes();
    (3..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'-'))
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && !name.contains("..")
        && !name.contains(".-")
        && !name.contains("-.")
        && !name.starts_with("xn--")
        && !name.ends_with("-s3alias")
        && name.parse::<std::net::Ipv4Addr>().is_err()
}

/// Check a key: non-empty, at most 1024 bytes.
pub fn check_key(key: &str) -> Result<(), S3Error> {
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return Err(S3Error::new(
            S3Code::InvalidArgument,
            "Object keys must be 1 to 1024 bytes long",
        ));
    }
    Ok(())
}

fn random_id() -> String {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        // Fall back to time and a counter: ids must only be unique.
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        b[..8].copy_from_slice(&unix_ms().to_be_bytes());
        b[8..].copy_from_slice(&n.to_be_bytes());
    }
    hex(&b)
}

fn object_key(bucket: &str, key: &str) -> String {
    format!("{bucket}\0{key}")
}

fn part_key(upload: &str, number: u32) -> String {
    format!("{upload}\0{number:05}")
}

fn no_such_upload(id: &str) -> S3Error {
    S3Error::new(
        S3Code::NoSuchUpload,
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    )
    .with("UploadId", id)
}

/// The store; share it behind an `Arc`.
pub struct ObjectStore {
    db: Database,
    objects: PathBuf,
    tmp: PathBuf,
}

impl ObjectStore {
    /// Open (or create) the store in `dir` (`<data>/s3`), removing
    /// leftovers of interrupted writes.
    pub fn open(dir: &Path) -> Result<ObjectStore, S3Error> {
        let objects = dir.join("objects");
        let tmp = dir.join("tmp");
        fs::create_dir_all(&objects)?;
        fs::create_dir_all(&tmp)?;
        // The database lock first: another process (a running node) may
        // be writing into `tmp/`.
        let db = match Database::create(dir.join("s3.redb")) {
            Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
                return Err(S3Error::new(
                    S3Code::InternalError,
                    format!(
                        "the S3 store {} is in use by another process (a running node?): \
                         stop it first",
                        dir.display()
                    ),
                ));
            }
            opened => opened?,
        };
        for entry in fs::read_dir(&tmp)? {
            let _ = fs::remove_file(entry?.path());
        }
        let tx = db.begin_write()?;
        {
            tx.open_table(BUCKETS)?;
            tx.open_table(OBJECTS)?;
            tx.open_table(UPLOADS)?;
            tx.open_table(PARTS)?;
        }
        tx.commit()?;
        let store = ObjectStore { db, objects, tmp };
        store.collect_garbage()?;
        Ok(store)
    }

    /// Remove body files no object or part points at (left by a crash
    /// between the rename and the commit, or before the old body's removal).
    fn collect_garbage(&self) -> Result<usize, S3Error> {
        let mut live = std::collections::HashSet::new();
        let tx = self.db.begin_read()?;
        for row in tx.open_table(OBJECTS)?.iter()? {
            let (_, v) = row?;
            let m: ObjectMeta = serde_json::from_slice(v.value())?;
            live.insert(m.file);
        }
        for row in tx.open_table(PARTS)?.iter()? {
            let (_, v) = row?;
            let p: PartRecord = serde_json::from_slice(v.value())?;
            live.insert(p.file);
        }
        let mut removed = 0;
        for entry in fs::read_dir(&self.objects)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !live.contains(&name) {
                let _ = fs::remove_file(entry.path());
                removed += 1;
            }
        }
        if removed > 0 {
            tracing::info!("s3: removed {removed} unreferenced object files");
        }
        Ok(removed)
    }

    fn body_path(&self, id: &str) -> PathBuf {
        self.objects.join(id)
    }

    fn sync_objects_dir(&self) -> Result<(), S3Error> {
        File::open(&self.objects)?.sync_all()?;
        Ok(())
    }

    // ----- buckets -----

    /// Create a bucket.
    pub fn create_bucket(&self, name: &str) -> Result<BucketRecord, S3Error> {
        if !valid_bucket_name(name) {
            return Err(S3Error::new(
                S3Code::InvalidBucketName,
                "The specified bucket is not valid.",
            )
            .with("BucketName", name));
        }
        let tx = self.db.begin_write()?;
        let record = {
            let mut t = tx.open_table(BUCKETS)?;
            if t.get(name)?.is_some() {
                return Err(S3Error::new(
                    S3Code::BucketAlreadyOwnedByYou,
                    "Your previous request to create the named bucket succeeded and you already own it.",
                )
                .with("BucketName", name));
            }
            let record = BucketRecord {
                name: name.to_string(),
                created_ms: unix_ms(),
                notification: NotificationConfig::default(),
            };
            t.insert(name, serde_json::to_vec(&record)?.as_slice())?;
            record
        };
        tx.commit()?;
        Ok(record)
    }

    /// A bucket's record.
    pub fn bucket(&self, name: &str) -> Result<BucketRecord, S3Error> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(BUCKETS)?;
        match t.get(name)? {
            Some(v) => Ok(serde_json::from_slice(v.value())?),
            None => Err(S3Error::no_such_bucket(name)),
        }
    }

    /// Every bucket, by name.
    pub fn list_buckets(&self) -> Result<Vec<BucketRecord>, S3Error> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(BUCKETS)?;
        let mut out = Vec::new();
        for row in t.iter()? {
            let (_, v) = row?;
            out.push(serde_json::from_slice(v.value())?);
        }
        Ok(out)
    }

    /// Delete an empty bucket (no objects, no uploads in progress).
    pub fn delete_bucket(&self, name: &str) -> Result<(), S3Error> {
        let tx = self.db.begin_write()?;
        {
            let mut buckets = tx.open_table(BUCKETS)?;
            if buckets.get(name)?.is_none() {
                return Err(S3Error::no_such_bucket(name));
            }
            let prefix = object_key(name, "");
            let objects = tx.open_table(OBJECTS)?;
            let has_object = match objects.range(prefix.as_str()..)?.next() {
                Some(row) => row?.0.value().starts_with(&prefix),
                None => false,
            };
            let uploads = tx.open_table(UPLOADS)?;
            let mut has_upload = false;
            for row in uploads.iter()? {
                let (_, v) = row?;
                let u: UploadRecord = serde_json::from_slice(v.value())?;
                if u.bucket == name {
                    has_upload = true;
                    break;
                }
            }
            if has_object || has_upload {
                return Err(S3Error::new(
                    S3Code::BucketNotEmpty,
                    "The bucket you tried to delete is not empty",
                )
                .with("BucketName", name));
            }
            buckets.remove(name)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Replace a bucket's notification configuration.
    pub fn set_notification(&self, name: &str, config: NotificationConfig) -> Result<(), S3Error> {
        let tx = self.db.begin_write()?;
        {
            let mut t = tx.open_table(BUCKETS)?;
            let mut record: BucketRecord = match t.get(name)? {
                Some(v) => serde_json::from_slice(v.value())?,
                None => return Err(S3Error::no_such_bucket(name)),
            };
            record.notification = config;
            t.insert(name, serde_json::to_vec(&record)?.as_slice())?;
        }
        tx.commit()?;
        Ok(())
    }

    // ----- bodies -----

    /// Start receiving a body of at most `limit` bytes; `sha256` and
    /// `checksum` select the extra digests to compute.
    pub fn begin_body(
        &self,
        sha256: bool,
        checksum: Option<ChecksumAlgorithm>,
        limit: u64,
    ) -> Result<PendingBody, S3Error> {
        let id = random_id();
        let path = self.tmp.join(&id);
        let file = File::create(&path)?;
        Ok(PendingBody {
            file: io::BufWriter::with_capacity(1 << 20, file),
            path,
            id,
            digests: BodyDigests::new(sha256, checksum),
            md5_lane: None,
            limit: limit.min(MAX_OBJECT_SIZE),
            done: false,
        })
    }

    /// Flush and fsync a received body (blocking).
    pub fn seal(&self, body: PendingBody) -> Result<SealedBody, S3Error> {
        let (digests, path, id) = body.seal()?;
        Ok(SealedBody {
            digests,
            path,
            id,
            kept: false,
        })
    }

    /// Move a sealed body into `objects/` (durably); returns its id.
    fn install(&self, mut body: SealedBody) -> Result<String, S3Error> {
        fs::rename(&body.path, self.body_path(&body.id))?;
        body.kept = true;
        self.sync_objects_dir()?;
        Ok(body.id.clone())
    }

    fn remove_body(&self, id: &str) {
        if let Err(e) = fs::remove_file(self.body_path(id))
            && e.kind() != io::ErrorKind::NotFound
        {
            tracing::warn!("s3: removing object file {id}: {e}");
        }
    }

    // ----- objects -----

    /// Make a sealed body the object `bucket/key`; returns the new
    /// metadata and replaces (and removes) any previous object.
    pub fn commit_object(
        &self,
        bucket: &str,
        key: &str,
        body: SealedBody,
        opts: PutOptions,
    ) -> Result<ObjectMeta, S3Error> {
        check_key(key)?;
        self.bucket(bucket)?;
        let meta = ObjectMeta {
            bucket: bucket.to_string(),
            key: key.to_string(),
            size: body.digests.len,
            etag: hex(&body.digests.md5),
            last_modified_ms: unix_ms(),
            content_type: opts
                .content_type
                .unwrap_or_else(|| "binary/octet-stream".into()),
            headers: opts.headers,
            user_meta: opts.user_meta,
            checksum: body.digests.checksum.clone(),
            parts: None,
            file: String::new(),
        };
        self.commit_meta(meta, body)
    }

    fn commit_meta(&self, mut meta: ObjectMeta, body: SealedBody) -> Result<ObjectMeta, S3Error> {
        meta.file = self.install(body)?;
        let old = self.swap_meta(&meta);
        match old {
            Ok(old) => {
                if let Some(old) = old {
                    self.remove_body(&old.file);
                }
                Ok(meta)
            }
            Err(e) => {
                self.remove_body(&meta.file);
                Err(e)
            }
        }
    }

    fn swap_meta(&self, meta: &ObjectMeta) -> Result<Option<ObjectMeta>, S3Error> {
        let tx = self.db.begin_write()?;
        let old = {
            if tx.open_table(BUCKETS)?.get(meta.bucket.as_str())?.is_none() {
                return Err(S3Error::no_such_bucket(&meta.bucket));
            }
            let mut t = tx.open_table(OBJECTS)?;
            let k = object_key(&meta.bucket, &meta.key);
            let old = match t.get(k.as_str())? {
                Some(v) => Some(serde_json::from_slice::<ObjectMeta>(v.value())?),
                None => None,
            };
            t.insert(k.as_str(), serde_json::to_vec(meta)?.as_slice())?;
            old
        };
        tx.commit()?;
        Ok(old)
    }

    /// Store `data` as `bucket/key` in one call (functions, CoAP).
    pub fn put_bytes(
        &self,
        bucket: &str,
        key: &str,
        data: &[u8],
        opts: PutOptions,
    ) -> Result<ObjectMeta, S3Error> {
        check_key(key)?;
        self.bucket(bucket)?;
        let mut body = self.begin_body(false, None, MAX_OBJECT_SIZE)?;
        body.write(data)?;
        let sealed = self.seal(body)?;
        self.commit_object(bucket, key, sealed, opts)
    }

    /// An object's metadata.
    pub fn head(&self, bucket: &str, key: &str) -> Result<ObjectMeta, S3Error> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(OBJECTS)?;
        match t.get(object_key(bucket, key).as_str())? {
            Some(v) => Ok(serde_json::from_slice(v.value())?),
            None => {
                if tx.open_table(BUCKETS)?.get(bucket)?.is_none() {
                    Err(S3Error::no_such_bucket(bucket))
                } else {
                    Err(S3Error::no_such_key(bucket, key))
                }
            }
        }
    }

    /// An object's metadata and its body file, opened (a later overwrite
    /// does not change what this file reads).
    pub fn open_object(&self, bucket: &str, key: &str) -> Result<(ObjectMeta, File), S3Error> {
        // Retry once: an overwrite may remove the file between the read and the open.
        for _ in 0..3 {
            let meta = self.head(bucket, key)?;
            match File::open(self.body_path(&meta.file)) {
                Ok(f) => return Ok((meta, f)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(S3Error::internal("the object changed while being opened"))
    }

    /// Read `bucket/key` (or the byte range `start..end`) into memory.
    pub fn get_bytes(
        &self,
        bucket: &str,
        key: &str,
        range: Option<(u64, u64)>,
    ) -> Result<(ObjectMeta, Vec<u8>), S3Error> {
        let (meta, mut f) = self.open_object(bucket, key)?;
        let (start, end) = range.unwrap_or((0, meta.size));
        let end = end.min(meta.size);
        let len = usize::try_from(end.saturating_sub(start))
            .map_err(|_| S3Error::internal("range too large for memory"))?;
        f.seek(SeekFrom::Start(start))?;
        let mut buf = vec![0; len];
        f.read_exact(&mut buf)?;
        Ok((meta, buf))
    }

    /// Delete an object; returns it if it existed (deleting a missing key succeeds).
    pub fn delete(&self, bucket: &str, key: &str) -> Result<Option<ObjectMeta>, S3Error> {
        let tx = self.db.begin_write()?;
        let old = {
            if tx.open_table(BUCKETS)?.get(bucket)?.is_none() {
                return Err(S3Error::no_such_bucket(bucket));
            }
            let mut t = tx.open_table(OBJECTS)?;
            let old = t.remove(object_key(bucket, key).as_str())?;
            match old {
                Some(v) => Some(serde_json::from_slice::<ObjectMeta>(v.value())?),
                None => None,
            }
        };
        tx.commit()?;
        if let Some(old) = &old {
            self.remove_body(&old.file);
        }
        Ok(old)
    }

    /// Copy an object (body and, unless `replace` is given, metadata).
    pub fn copy(
        &self,
        src_bucket: &str,
        src_key: &str,
        bucket: &str,
        key: &str,
        replace: Option<PutOptions>,
    ) -> Result<ObjectMeta, S3Error> {
        check_key(key)?;
        self.bucket(bucket)?;
        let (src, mut f) = self.open_object(src_bucket, src_key)?;
        let id = random_id();
        let path = self.tmp.join(&id);
        let mut out = File::create(&path)?;
        let sealed = SealedBody {
            digests: Digests {
                md5: [0; 16],
                sha256_hex: None,
                checksum: src.checksum.clone(),
                len: src.size,
            },
            path,
            id,
            kept: false,
        };
        io::copy(&mut f, &mut out)?;
        out.sync_all()?;
        let mut meta = ObjectMeta {
            bucket: bucket.to_string(),
            key: key.to_string(),
            last_modified_ms: unix_ms(),
            file: String::new(),
            ..src
        };
        if let Some(o) = replace {
            meta.content_type = o
                .content_type
                .unwrap_or_else(|| "binary/octet-stream".into());
            meta.headers = o.headers;
            meta.user_meta = o.user_meta;
        }
        self.commit_meta(meta, sealed)
    }

    /// List a bucket's keys.
    pub fn list(&self, bucket: &str, q: &ListQuery) -> Result<ListPage, S3Error> {
        let tx = self.db.begin_read()?;
        if tx.open_table(BUCKETS)?.get(bucket)?.is_none() {
            return Err(S3Error::no_such_bucket(bucket));
        }
        let t = tx.open_table(OBJECTS)?;
        let base = object_key(bucket, "");
        let start_key = match &q.after {
            Some(a) if a.as_str() >= q.prefix.as_str() => object_key(bucket, a),
            _ => object_key(bucket, &q.prefix),
        };
        let delimiter = q.delimiter.as_deref().filter(|d| !d.is_empty());
        // Resuming after a common prefix skips everything under it.
        let skip_prefix = q
            .after
            .as_deref()
            .filter(|a| delimiter.is_some_and(|d| a.ends_with(d) && a.starts_with(&q.prefix)));
        let mut page = ListPage::default();
        let mut count = 0usize;
        for row in t.range(start_key.as_str()..)? {
            let (k, v) = row?;
            let full = k.value();
            let Some(key) = full.strip_prefix(base.as_str()) else {
                break;
            };
            if !key.starts_with(&q.prefix) {
                if key > q.prefix.as_str() {
                    break;
                }
                continue;
            }
            if q.after.as_deref().is_some_and(|a| key <= a) {
                continue;
            }
            if skip_prefix.is_some_and(|p| key.starts_with(p)) {
                continue;
            }
            let rolled = delimiter.and_then(|d| {
                let rest = key.get(q.prefix.len()..)?;
                rest.find(d)
                    .and_then(|i| key.get(..q.prefix.len() + i + d.len()))
            });
            if let Some(cp) = rolled
                && page.common_prefixes.last().map(String::as_str) == Some(cp)
            {
                continue;
            }
            if count >= q.max_keys {
                page.truncated = true;
                break;
            }
            count += 1;
            match rolled {
                Some(cp) => {
                    page.common_prefixes.push(cp.to_string());
                    page.last = Some(cp.to_string());
                }
                None => {
                    page.objects.push(serde_json::from_slice(v.value())?);
                    page.last = Some(key.to_string());
                }
            }
        }
        Ok(page)
    }

    // ----- multipart -----

    /// Start a multipart upload; returns its id.
    pub fn create_upload(
        &self,
        bucket: &str,
        key: &str,
        opts: PutOptions,
        checksum_algorithm: Option<ChecksumAlgorithm>,
    ) -> Result<UploadRecord, S3Error> {
        check_key(key)?;
        self.bucket(bucket)?;
        let record = UploadRecord {
            id: random_id(),
            bucket: bucket.to_string(),
            key: key.to_string(),
            initiated_ms: unix_ms(),
            content_type: opts.content_type,
            headers: opts.headers,
            user_meta: opts.user_meta,
            checksum_algorithm,
        };
        let tx = self.db.begin_write()?;
        tx.open_table(UPLOADS)?
            .insert(record.id.as_str(), serde_json::to_vec(&record)?.as_slice())?;
        tx.commit()?;
        Ok(record)
    }

    /// An upload in progress of `bucket/key`.
    pub fn upload(&self, bucket: &str, key: &str, id: &str) -> Result<UploadRecord, S3Error> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(UPLOADS)?;
        let u: UploadRecord = match t.get(id)? {
            Some(v) => serde_json::from_slice(v.value())?,
            None => {
                if tx.open_table(BUCKETS)?.get(bucket)?.is_none() {
                    return Err(S3Error::no_such_bucket(bucket));
                }
                return Err(no_such_upload(id));
            }
        };
        if u.bucket != bucket || u.key != key {
            return Err(no_such_upload(id));
        }
        Ok(u)
    }

    /// Store a sealed body as part `number` of an upload (replacing a previous one).
    pub fn commit_part(
        &self,
        bucket: &str,
        key: &str,
        upload: &str,
        number: u32,
        body: SealedBody,
    ) -> Result<PartRecord, S3Error> {
        if !(1..=MAX_PART_NUMBER).contains(&number) {
            return Err(S3Error::new(
                S3Code::InvalidArgument,
                "Part number must be an integer between 1 and 10000, inclusive",
            ));
        }
        self.upload(bucket, key, upload)?;
        let mut part = PartRecord {
            number,
            etag: hex(&body.digests.md5),
            size: body.digests.len,
            last_modified_ms: unix_ms(),
            checksum: body.digests.checksum.clone(),
            file: String::new(),
        };
        part.file = self.install(body)?;
        let tx = self.db.begin_write()?;
        let old = {
            if tx.open_table(UPLOADS)?.get(upload)?.is_none() {
                drop(tx);
                self.remove_body(&part.file);
                return Err(no_such_upload(upload));
            }
            let mut t = tx.open_table(PARTS)?;
            let k = part_key(upload, number);
            let old = match t.get(k.as_str())? {
                Some(v) => Some(serde_json::from_slice::<PartRecord>(v.value())?),
                None => None,
            };
            t.insert(k.as_str(), serde_json::to_vec(&part)?.as_slice())?;
            old
        };
        tx.commit()?;
        if let Some(old) = old {
            self.remove_body(&old.file);
        }
        Ok(part)
    }

    /// The parts of an upload, by number.
    pub fn parts(&self, upload: &str) -> Result<Vec<PartRecord>, S3Error> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(PARTS)?;
        let prefix = format!("{upload}\0");
        let mut out = Vec::new();
        for row in t.range(prefix.as_str()..)? {
            let (k, v) = row?;
            if !k.value().starts_with(&prefix) {
                break;
            }
            out.push(serde_json::from_slice(v.value())?);
        }
        Ok(out)
    }

    /// Uploads in progress in a bucket, by key then initiation.
    pub fn uploads(&self, bucket: &str) -> Result<Vec<UploadRecord>, S3Error> {
        self.bucket(bucket)?;
        let tx = self.db.begin_read()?;
        let t = tx.open_table(UPLOADS)?;
        let mut out = Vec::new();
        for row in t.iter()? {
            let (_, v) = row?;
            let u: UploadRecord = serde_json::from_slice(v.value())?;
            if u.bucket == bucket {
                out.push(u);
            }
        }
        out.sort_by(|a, b| (&a.key, a.initiated_ms).cmp(&(&b.key, b.initiated_ms)));
        Ok(out)
    }

    fn drop_upload(&self, upload: &str) -> Result<Vec<PartRecord>, S3Error> {
        let parts = self.parts(upload)?;
        let tx = self.db.begin_write()?;
        {
            tx.open_table(UPLOADS)?.remove(upload)?;
            let mut t = tx.open_table(PARTS)?;
            for p in &parts {
                t.remove(part_key(upload, p.number).as_str())?;
            }
        }
        tx.commit()?;
        Ok(parts)
    }

    /// Abort an upload and remove its parts.
    pub fn abort_upload(&self, bucket: &str, key: &str, upload: &str) -> Result<(), S3Error> {
        self.upload(bucket, key, upload)?;
        for p in self.drop_upload(upload)? {
            self.remove_body(&p.file);
        }
        Ok(())
    }

    /// Complete an upload from the listed `(part number, etag)` pairs:
    /// the parts are concatenated into the object (ETag: MD5 of the parts'
    /// MD5s, `-N`), then the upload is removed.
    pub fn complete_upload(
        &self,
        bucket: &str,
        key: &str,
        upload: &str,
        listed: &[(u32, String)],
    ) -> Result<ObjectMeta, S3Error> {
        let record = self.upload(bucket, key, upload)?;
        if listed.is_empty() {
            return Err(S3Error::malformed_xml("no parts listed"));
        }
        if listed.windows(2).any(|w| match w {
            [a, b] => a.0 >= b.0,
            _ => false,
        }) {
            return Err(S3Error::new(
                S3Code::InvalidPartOrder,
                "The list of parts was not in ascending order. The parts list must be specified in order of the part number.",
            ));
        }
        let stored = self.parts(upload)?;
        let mut chosen = Vec::with_capacity(listed.len());
        for (number, etag) in listed {
            let etag = etag.trim().trim_matches('"');
            let part = stored
                .iter()
                .find(|p| p.number == *number && p.etag == etag)
                .ok_or_else(|| {
                    S3Error::new(
                        S3Code::InvalidPart,
                        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
                    )
                    .with("PartNumber", number.to_string())
                })?;
            chosen.push(part);
        }
        let last = chosen.len() - 1;
        if let Some((i, p)) = chosen
            .iter()
            .enumerate()
            .find(|(i, p)| *i < last && p.size < MIN_PART_SIZE)
        {
            let _ = i;
            return Err(S3Error::new(
                S3Code::EntityTooSmall,
                "Your proposed upload is smaller than the minimum allowed object size.",
            )
            .with("PartNumber", p.number.to_string()));
        }
        let id = random_id();
        let path = self.tmp.join(&id);
        let mut out = io::BufWriter::with_capacity(1 << 20, File::create(&path)?);
        let mut md5s = Md5::new();
        let mut size = 0u64;
        let mut sealed = SealedBody {
            digests: Digests {
                md5: [0; 16],
                sha256_hex: None,
                checksum: None,
                len: 0,
            },
            path,
            id,
            kept: false,
        };
        for p in &chosen {
            let mut f = File::open(self.body_path(&p.file))?;
            size += io::copy(&mut f, &mut out)?;
            let raw: Vec<u8> = (0..p.etag.len() / 2)
                .filter_map(|i| p.etag.get(2 * i..2 * i + 2))
                .filter_map(|h| u8::from_str_radix(h, 16).ok())
                .collect();
            md5s.update(&raw);
        }
        out.flush()?;
        out.get_ref().sync_all()?;
        sealed.digests.len = size;
        let meta = ObjectMeta {
            bucket: bucket.to_string(),
            key: key.to_string(),
            size,
            etag: format!("{}-{}", hex(&md5s.finalize()), chosen.len()),
            last_modified_ms: unix_ms(),
            content_type: record
                .content_type
                .unwrap_or_else(|| "binary/octet-stream".into()),
            headers: record.headers,
            user_meta: record.user_meta,
            checksum: None,
            parts: u32::try_from(chosen.len()).ok(),
            file: String::new(),
        };
        let meta = self.commit_meta(meta, sealed)?;
        for p in self.drop_upload(upload)? {
            self.remove_body(&p.file);
        }
        Ok(meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, ObjectStore) {
        let dir = tempfile::tempdir().unwrap();
        let s = ObjectStore::open(dir.path()).unwrap();
        (dir, s)
    }

    #[test]
    fn a_store_in_use_is_refused_without_touching_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = ObjectStore::open(dir.path()).unwrap();
        let in_flight = dir.path().join("tmp").join("upload");
        fs::write(&in_flight, b"partial").unwrap();
        let Err(e) = ObjectStore::open(dir.path()) else {
            panic!("opened twice")
        };
        assert!(
            e.message.contains("in use by another process"),
            "{}",
            e.message
        );
        assert!(in_flight.exists(), "the owner's upload is left alone");
        drop(first);
        ObjectStore::open(dir.path()).unwrap();
        assert!(!in_flight.exists(), "leftovers go once the store is ours");
    }

    #[test]
    fn bucket_names() {
        for ok in ["abc", "my-bucket.1", "a1b", "2015-03-31"] {
            assert!(valid_bucket_name(ok), "{ok}");
        }
        for bad in [
            "ab",
            "ABC",
            "-abc",
            "abc-",
            "a..b",
            "a_b",
            "192.168.1.1",
            "xn--abc",
            &"a".repeat(64),
        ] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
    }

    #[test]
    fn large_bodies_hash_md5_on_a_thread_with_the_same_result() {
        let (_d, s) = store();
        // 9 MiB + 3 bytes in uneven pieces: the lane starts mid-body and
        // ends with a partial batch.
        let body: Vec<u8> = (0..(9 << 20) + 3)
            .map(|i: u32| (i * 7 + i / 5000) as u8)
            .collect();
        let mut pending = s
            .begin_body(true, Some(ChecksumAlgorithm::Crc32), u64::MAX)
            .unwrap();
        for piece in body.chunks(65_537) {
            pending.write(piece).unwrap();
        }
        assert!(
            pending.md5_lane.is_some(),
            "over 4 MiB the MD5 has its own thread"
        );
        let sealed = s.seal(pending).unwrap();
        assert_eq!(sealed.digests.md5, <[u8; 16]>::from(Md5::digest(&body)));
        assert_eq!(sealed.digests.len, body.len() as u64);
        let mut whole = BodyDigests::new(true, Some(ChecksumAlgorithm::Crc32));
        whole.update(&body);
        assert_eq!(sealed.digests, whole.finish(), "every digest agrees");
    }

    #[test]
    fn put_get_list_delete() {
        let (_d, s) = store();
        s.create_bucket("b1").map(|_| ()).unwrap_err();
        s.create_bucket("bkt").unwrap();
        assert_eq!(
            s.create_bucket("bkt").unwrap_err().code,
            S3Code::BucketAlreadyOwnedByYou
        );
        let m = s
            .put_bytes("bkt", "dir/a.txt", b"hello", PutOptions::default())
            .unwrap();
        assert_eq!(m.etag, "5d41402abc4b2a76b9719d911017c592");
        assert_eq!(m.content_type, "binary/octet-stream");
        s.put_bytes("bkt", "dir/b.txt", b"x", PutOptions::default())
            .unwrap();
        s.put_bytes("bkt", "top", b"y", PutOptions::default())
            .unwrap();
        s.put_bytes("bkt", "dir/sub/c", b"z", PutOptions::default())
            .unwrap();
        assert_eq!(
            s.get_bytes("bkt", "dir/a.txt", Some((1, 3))).unwrap().1,
            b"el"
        );
        let page = s
            .list(
                "bkt",
                &ListQuery {
                    prefix: "dir/".into(),
                    delimiter: Some("/".into()),
                    max_keys: 1000,
                    ..Default::default()
                },
            )
            .unwrap();
        let keys: Vec<_> = page.objects.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys, ["dir/a.txt", "dir/b.txt"]);
        assert_eq!(page.common_prefixes, ["dir/sub/"]);
        // Pagination: one entry at a time visits everything once.
        let mut after = None;
        let mut seen = Vec::new();
        loop {
            let p = s
                .list(
                    "bkt",
                    &ListQuery {
                        delimiter: Some("/".into()),
                        after: after.clone(),
                        max_keys: 1,
                        ..Default::default()
                    },
                )
                .unwrap();
            seen.extend(p.objects.iter().map(|o| o.key.clone()));
            seen.extend(p.common_prefixes.iter().cloned());
            if !p.truncated {
                break;
            }
            after = p.last;
        }
        assert_eq!(seen, ["dir/", "top"]);
        assert_eq!(
            s.delete_bucket("bkt").unwrap_err().code,
            S3Code::BucketNotEmpty
        );
        // Overwrite replaces the body and removes the old file.
        s.put_bytes("bkt", "top", b"new", PutOptions::default())
            .unwrap();
        assert_eq!(s.get_bytes("bkt", "top", None).unwrap().1, b"new");
        assert_eq!(fs::read_dir(&s.objects).unwrap().count(), 4);
        for k in ["dir/a.txt", "dir/b.txt", "top", "dir/sub/c"] {
            assert!(s.delete("bkt", k).unwrap().is_some());
        }
        assert!(s.delete("bkt", "top").unwrap().is_none());
        assert_eq!(s.head("bkt", "top").unwrap_err().code, S3Code::NoSuchKey);
        assert_eq!(s.head("nob", "top").unwrap_err().code, S3Code::NoSuchBucket);
        s.delete_bucket("bkt").unwrap();
        assert_eq!(fs::read_dir(&s.objects).unwrap().count(), 0);
    }

    #[test]
    fn multipart_etag_and_part_rules() {
        let (_d, s) = store();
        s.create_bucket("bkt").unwrap();
        let u = s
            .create_upload("bkt", "big", PutOptions::default(), None)
            .unwrap();
        let part = |n: u32, data: &[u8]| {
            let mut b = s.begin_body(false, None, MAX_OBJECT_SIZE).unwrap();
            b.write(data).unwrap();
            let sealed = s.seal(b).unwrap();
            s.commit_part("bkt", "big", &u.id, n, sealed).unwrap()
        };
        let one = vec![1u8; MIN_PART_SIZE as usize];
        let p1 = part(1, &one);
        let p2 = part(2, b"tail");
        let err = s
            .complete_upload(
                "bkt",
                "big",
                &u.id,
                &[(2, p2.etag.clone()), (1, p1.etag.clone())],
            )
            .unwrap_err();
        assert_eq!(err.code, S3Code::InvalidPartOrder);
        let err = s
            .complete_upload(
                "bkt",
                "big",
                &u.id,
                &[(1, p1.etag.clone()), (2, "00".into())],
            )
            .unwrap_err();
        assert_eq!(err.code, S3Code::InvalidPart);
        let m = s
            .complete_upload(
                "bkt",
                "big",
                &u.id,
                &[(1, format!("\"{}\"", p1.etag)), (2, p2.etag.clone())],
            )
            .unwrap();
        let mut md5s = Md5::new();
        md5s.update(Md5::digest(&one));
        md5s.update(Md5::digest(b"tail"));
        assert_eq!(m.etag, format!("{}-2", hex(&md5s.finalize())));
        assert_eq!(m.size, MIN_PART_SIZE + 4);
        assert_eq!(
            s.upload("bkt", "big", &u.id).unwrap_err().code,
            S3Code::NoSuchUpload
        );
        // Small non-final parts are refused.
        let u2 = s
            .create_upload("bkt", "k2", PutOptions::default(), None)
            .unwrap();
        let mut b = s.begin_body(false, None, MAX_OBJECT_SIZE).unwrap();
        b.write(b"small").unwrap();
        let p = s
            .commit_part("bkt", "k2", &u2.id, 1, s.seal(b).unwrap())
            .unwrap();
        let mut b = s.begin_body(false, None, MAX_OBJECT_SIZE).unwrap();
        b.write(b"x").unwrap();
        let q = s
            .commit_part("bkt", "k2", &u2.id, 2, s.seal(b).unwrap())
            .unwrap();
        assert_eq!(
            s.complete_upload("bkt", "k2", &u2.id, &[(1, p.etag), (2, q.etag)])
                .unwrap_err()
                .code,
            S3Code::EntityTooSmall
        );
        s.abort_upload("bkt", "k2", &u2.id).unwrap();
        assert!(s.uploads("bkt").unwrap().is_empty());
    }

    #[test]
    fn unreferenced_files_are_collected_on_open() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = ObjectStore::open(dir.path()).unwrap();
            s.create_bucket("bkt").unwrap();
            s.put_bytes("bkt", "k", b"v", PutOptions::default())
                .unwrap();
            fs::write(s.objects.join("orphan"), b"torn").unwrap();
            fs::write(s.tmp.join("partial"), b"torn").unwrap();
        }
        let s = ObjectStore::open(dir.path()).unwrap();
        assert_eq!(fs::read_dir(&s.objects).unwrap().count(), 1);
        assert_eq!(fs::read_dir(&s.tmp).unwrap().count(), 0);
        assert_eq!(s.get_bytes("bkt", "k", None).unwrap().1, b"v");
    }
}
