//! The node's durable function store: one `redb` database file in the data
//! directory (`nanolambda.redb`).
//!
//! Owns the on-disk layout and its transactions; knows nothing of HTTP or
//! of the VM. Every mutating call is one write transaction committed with
//! redb's default (immediate, fsynced) durability before it returns, so
//! anything the API has acknowledged survives `kill -9`.
//!
//! Tables (keys are text; records are JSON so the layout can grow fields):
//!
//! | table | key | value |
//! |---|---|---|
//! | `functions` | function name | [`FunctionRecord`] (`$LATEST` + next version number) |
//! | `versions` | `name\0` + 10-digit version | [`FunctionConfig`] snapshot |
//! | `aliases` | `name\0alias` | [`AliasRecord`] |
//! | `code` | base64 SHA-256 of the zip | the zip bytes (content-addressed) |
//! | `modules` | hex module hash | encoded bytecode module (content-addressed) |
//! | `events` | sequence number | [`QueuedEvent`] (the asynchronous invocation queue) |
//!
//! Content-addressed rows are never garbage-collected yet (see docs/node.md).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use redb::{
    Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition,
    WriteTransaction,
};
use serde::{Deserialize, Serialize};

const FUNCTIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("functions");
const VERSIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("versions");
const ALIASES: TableDefinition<&str, &[u8]> = TableDefinition::new("aliases");
const CODE: TableDefinition<&str, &[u8]> = TableDefinition::new("code");
const MODULES: TableDefinition<&str, &[u8]> = TableDefinition::new("modules");
const EVENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("events");
const EVENT_CONFIGS: TableDefinition<&str, &[u8]> = TableDefinition::new("event_configs");

/// Milliseconds since the Unix epoch.
pub fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// One function configuration (of `$LATEST` or of a published version).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionConfig {
    /// Function name.
    pub name: String,
    /// `$LATEST` or a published version number.
    pub version: String,
    /// `python3.x` as given.
    pub runtime: String,
    /// The IAM role ARN as given (accepted, not enforced).
    pub role: String,
    /// `module.function`.
    pub handler: String,
    /// Free text.
    pub description: String,
    /// Seconds.
    pub timeout: u32,
    /// MB; the VM arena is this many MiB.
    pub memory_size: u32,
    /// Environment variables.
    pub environment: BTreeMap<String, String>,
    /// Base64 SHA-256 of the zip (key in `code`).
    pub code_sha256: String,
    /// Size of the zip in bytes.
    pub code_size: u64,
    /// Hex hash of the compiled module (key in `modules`).
    pub module_hash: String,
    /// AWS date format, e.g. `2026-11-27T10:00:00.000+0000`.
    pub last_modified: String,
    /// Changes on every update (optimistic concurrency token).
    pub revision_id: String,
}

/// The row of `functions`: `$LATEST` and the next version number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionRecord {
    /// The `$LATEST` configuration.
    pub latest: FunctionConfig,
    /// Number the next published version gets (starts at 1).
    pub next_version: u64,
}

/// An alias: a name pointing at a version, and optionally sending a share
/// of its invocations to a second version (`RoutingConfig`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AliasRecord {
    /// Alias name.
    pub name: String,
    /// The function it belongs to.
    pub function: String,
    /// `$LATEST` or a version number.
    pub function_version: String,
    /// Free text.
    pub description: String,
    /// Changes on every update.
    pub revision_id: String,
    /// `RoutingConfig.AdditionalVersionWeights`: version -> share of the
    /// alias's invocations it runs (0.0..=1.0; at most one version, as in
    /// Lambda). Empty: every invocation runs `function_version`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub additional_version_weights: BTreeMap<String, f64>,
}

/// An accepted asynchronous (`Event`) invocation waiting to run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedEvent {
    /// Function name.
    pub function: String,
    /// Qualifier as given (version or alias), if any.
    pub qualifier: Option<String>,
    /// The event JSON.
    pub payload: Vec<u8>,
    /// Runs already attempted.
    pub attempts: u32,
    /// Unix milliseconds before which it must not run (retry back-off).
    pub not_before_ms: u64,
    /// Request id given to the caller.
    pub request_id: String,
    /// Unix milliseconds when it was accepted (0 in queues written before
    /// the field existed: no age limit applies).
    #[serde(default)]
    pub enqueued_ms: u64,
}

/// How asynchronous invocations of a function (or one of its versions or
/// aliases) are handled: Lambda's `FunctionEventInvokeConfig`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventInvokeConfig {
    /// The function.
    pub function: String,
    /// `$LATEST`, a version or an alias.
    pub qualifier: String,
    /// Retries after a failed run (0-2; `None`: Lambda's 2).
    pub maximum_retry_attempts: Option<u32>,
    /// Oldest an event may be to run, in seconds (60-21600; `None`: 21600).
    pub maximum_event_age_in_seconds: Option<u32>,
    /// Where the record of a successful invocation goes (a function ARN).
    pub on_success: Option<String>,
    /// Where the record of an event that failed for good goes.
    pub on_failure: Option<String>,
    /// Unix milliseconds of the last change.
    pub last_modified_ms: u64,
}

/// Why a store operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The function (or version/alias) does not exist.
    NotFound(String),
    /// It already exists, or a precondition failed.
    Conflict(String),
    /// The asynchronous queue is full.
    QueueFull,
    /// The database failed (I/O, corruption).
    Db(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NotFound(m) | StoreError::Conflict(m) => f.write_str(m),
            StoreError::QueueFull => f.write_str("the asynchronous invocation queue is full"),
            StoreError::Db(m) => write!(f, "store: {m}"),
        }
    }
}

impl std::error::Error for StoreError {}

macro_rules! db_err {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::Db(e.to_string())
            }
        }
    )*};
}
db_err!(
    redb::Error,
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    serde_json::Error
);

/// Most events the asynchronous queue holds (Lambda's own queue is
/// unbounded; ours answers `TooManyRequestsException` when full).
pub const MAX_QUEUED_EVENTS: u64 = 10_000;

fn version_key(name: &str, version: u64) -> String {
    format!("{name}\0{version:010}")
}

fn alias_key(name: &str, alias: &str) -> String {
    format!("{name}\0{alias}")
}

/// Read a JSON record from `table` at `key`.
fn get_json<T: for<'de> Deserialize<'de>>(
    table: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<T>, StoreError> {
    match table.get(key)? {
        Some(v) => Ok(Some(serde_json::from_slice(v.value())?)),
        None => Ok(None),
    }
}

/// Every JSON record whose key starts with `prefix`, in key order.
fn scan_prefix<T: for<'de> Deserialize<'de>>(
    table: &impl ReadableTable<&'static str, &'static [u8]>,
    prefix: &str,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    for row in table.range(prefix..)? {
        let (k, v) = row?;
        if !k.value().starts_with(prefix) {
            break;
        }
        out.push(serde_json::from_slice(v.value())?);
    }
    Ok(out)
}

/// The durable store (cheap to share behind an `Arc`).
pub struct Store {
    db: Database,
}

impl Store {
    /// Open (or create) the database at `path` and its tables.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let db = Database::create(path)?;
        let store = Store { db };
        store.write(|tx| {
            tx.open_table(FUNCTIONS)?;
            tx.open_table(VERSIONS)?;
            tx.open_table(ALIASES)?;
            tx.open_table(CODE)?;
            tx.open_table(MODULES)?;
            tx.open_table(EVENTS)?;
            tx.open_table(EVENT_CONFIGS)?;
            Ok(())
        })?;
        Ok(store)
    }

    /// Run `f` in one write transaction and commit it durably.
    fn write<T>(
        &self,
        f: impl FnOnce(&WriteTransaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let tx = self.db.begin_write()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Create a function (`create = true`, fails if it exists) or replace
    /// its `$LATEST` (fails if it does not), storing the zip and module
    /// alongside when given. With `publish`, also publishes a version and
    /// returns its configuration.
    pub fn put_function(
        &self,
        create: bool,
        latest: &FunctionConfig,
        zip: Option<&[u8]>,
        module: Option<&[u8]>,
        publish: bool,
    ) -> Result<FunctionConfig, StoreError> {
        self.write(|tx| {
            let mut functions = tx.open_table(FUNCTIONS)?;
            let existing: Option<FunctionRecord> = get_json(&functions, &latest.name)?;
            let next_version = match (create, existing) {
                (true, Some(_)) => {
                    return Err(StoreError::Conflict(format!(
                        "Function already exist: {}",
                        latest.name
                    )));
                }
                (false, None) => return Err(not_found(&latest.name)),
                (true, None) => 1,
                (false, Some(r)) => r.next_version,
            };
            if let Some(zip) = zip {
                tx.open_table(CODE)?
                    .insert(latest.code_sha256.as_str(), zip)?;
            }
            if let Some(module) = module {
                tx.open_table(MODULES)?
                    .insert(latest.module_hash.as_str(), module)?;
            }
            let mut record = FunctionRecord {
                latest: latest.clone(),
                next_version,
            };
            let result = if publish {
                publish_in(tx, &mut record, None)?
            } else {
                latest.clone()
            };
            functions.insert(
                latest.name.as_str(),
                serde_json::to_vec(&record)?.as_slice(),
            )?;
            Ok(result)
        })
    }

    /// The function's row.
    pub fn function(&self, name: &str) -> Result<FunctionRecord, StoreError> {
        let tx = self.db.begin_read()?;
        get_json(&tx.open_table(FUNCTIONS)?, name)?.ok_or_else(|| not_found(name))
    }

    /// `$LATEST` configurations in name order, after `marker`, at most `limit`.
    /// Returns them and whether more follow.
    pub fn list_functions(
        &self,
        marker: Option<&str>,
        limit: usize,
    ) -> Result<(Vec<FunctionConfig>, bool), StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(FUNCTIONS)?;
        let mut out = Vec::new();
        let start = marker.unwrap_or("");
        for row in table.range(start..)? {
            let (k, v) = row?;
            if marker.is_some_and(|m| k.value() == m) {
                continue;
            }
            if out.len() == limit {
                return Ok((out, true));
            }
            let r: FunctionRecord = serde_json::from_slice(v.value())?;
            out.push(r.latest);
        }
        Ok((out, false))
    }

    /// Names of every function.
    pub fn function_names(&self) -> Result<Vec<String>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(FUNCTIONS)?;
        let mut out = Vec::new();
        for row in table.iter()? {
            out.push(row?.0.value().to_string());
        }
        Ok(out)
    }

    /// Delete a function with its versions and aliases.
    pub fn delete_function(&self, name: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            if tx.open_table(FUNCTIONS)?.remove(name)?.is_none() {
                return Err(not_found(name));
            }
            let prefix = format!("{name}\0");
            for def in [VERSIONS, ALIASES, EVENT_CONFIGS] {
                let mut t = tx.open_table(def)?;
                let keys: Vec<String> = t
                    .range(prefix.as_str()..)?
                    .map_while(|r| {
                        r.ok()
                            .map(|(k, _)| k.value().to_string())
                            .filter(|k| k.starts_with(&prefix))
                    })
                    .collect();
                for k in keys {
                    t.remove(k.as_str())?;
                }
            }
            Ok(())
        })
    }

    /// Delete one published version (refused while an alias points at it
    /// or routes a share of its invocations to it).
    pub fn delete_version(&self, name: &str, version: u64) -> Result<(), StoreError> {
        self.write(|tx| {
            let aliases: Vec<AliasRecord> =
                scan_prefix(&tx.open_table(ALIASES)?, &format!("{name}\0"))?;
            let version_text = version.to_string();
            if let Some(a) = aliases.iter().find(|a| {
                a.function_version == version_text
                    || a.additional_version_weights.contains_key(&version_text)
            }) {
                return Err(StoreError::Conflict(format!(
                    "Unable to delete version because the following aliases reference it: [{}]",
                    a.name
                )));
            }
            let mut t = tx.open_table(VERSIONS)?;
            if t.remove(version_key(name, version).as_str())?.is_none() {
                return Err(not_found(&format!("{name}:{version}")));
            }
            Ok(())
        })
    }

    /// Publish `$LATEST` as a new numbered version.
    pub fn publish_version(
        &self,
        name: &str,
        description: Option<&str>,
        expected_sha: Option<&str>,
    ) -> Result<FunctionConfig, StoreError> {
        self.write(|tx| {
            let mut functions = tx.open_table(FUNCTIONS)?;
            let mut record: FunctionRecord =
                get_json(&functions, name)?.ok_or_else(|| not_found(name))?;
            if let Some(sha) = expected_sha
                && sha != record.latest.code_sha256
            {
                return Err(StoreError::Conflict(format!(
                    "CodeSha256 ({sha}) is different from current CodeSha256 in $LATEST ({}). Please try again with the CodeSha256 in $LATEST.",
                    record.latest.code_sha256
                )));
            }
            // Lambda publishes nothing when `$LATEST` has not changed since
            // the last version: it answers with that version.
            if let Some(last) = record.next_version.checked_sub(1).filter(|&v| v > 0) {
                let previous: Option<FunctionConfig> =
                    get_json(&tx.open_table(VERSIONS)?, &version_key(name, last))?;
                if let Some(previous) = previous
                    && previous.revision_id == record.latest.revision_id
                {
                    return Ok(previous);
                }
            }
            let published = publish_in(tx, &mut record, description)?;
            functions.insert(name, serde_json::to_vec(&record)?.as_slice())?;
            Ok(published)
        })
    }

    /// One published version's configuration.
    pub fn version(&self, name: &str, version: u64) -> Result<FunctionConfig, StoreError> {
        let tx = self.db.begin_read()?;
        get_json(&tx.open_table(VERSIONS)?, &version_key(name, version))?
            .ok_or_else(|| not_found(&format!("{name}:{version}")))
    }

    /// Every published version, oldest first.
    pub fn versions(&self, name: &str) -> Result<Vec<FunctionConfig>, StoreError> {
        let tx = self.db.begin_read()?;
        scan_prefix(&tx.open_table(VERSIONS)?, &format!("{name}\0"))
    }

    /// Create (`create = true`) or update an alias.
    pub fn put_alias(&self, alias: &AliasRecord, create: bool) -> Result<(), StoreError> {
        self.write(|tx| {
            let record: Option<FunctionRecord> =
                get_json(&tx.open_table(FUNCTIONS)?, &alias.function)?;
            if record.is_none() {
                return Err(not_found(&alias.function));
            }
            if alias.function_version != "$LATEST" {
                let v: u64 = alias.function_version.parse().map_err(|_| {
                    StoreError::NotFound(format!(
                        "Function not found: {}:{}",
                        alias.function, alias.function_version
                    ))
                })?;
                let exists: Option<FunctionConfig> =
                    get_json(&tx.open_table(VERSIONS)?, &version_key(&alias.function, v))?;
                if exists.is_none() {
                    return Err(not_found(&format!("{}:{v}", alias.function)));
                }
            }
            let mut t = tx.open_table(ALIASES)?;
            let key = alias_key(&alias.function, &alias.name);
            let existing: Option<AliasRecord> = get_json(&t, &key)?;
            match (create, existing) {
                (true, Some(_)) => {
                    return Err(StoreError::Conflict(format!(
                        "Alias already exists: {}",
                        alias_arn(&alias.function, &alias.name)
                    )));
                }
                (false, None) => return Err(alias_not_found(&alias.function, &alias.name)),
                _ => {}
            }
            t.insert(key.as_str(), serde_json::to_vec(alias)?.as_slice())?;
            Ok(())
        })
    }

    /// One alias.
    pub fn alias(&self, function: &str, alias: &str) -> Result<AliasRecord, StoreError> {
        let tx = self.db.begin_read()?;
        get_json(&tx.open_table(ALIASES)?, &alias_key(function, alias))?
            .ok_or_else(|| alias_not_found(function, alias))
    }

    /// Every alias of a function, by name.
    pub fn aliases(&self, function: &str) -> Result<Vec<AliasRecord>, StoreError> {
        let tx = self.db.begin_read()?;
        scan_prefix(&tx.open_table(ALIASES)?, &format!("{function}\0"))
    }

    /// The asynchronous invocation configuration of `function:qualifier`.
    pub fn event_config(
        &self,
        function: &str,
        qualifier: &str,
    ) -> Result<Option<EventInvokeConfig>, StoreError> {
        let tx = self.db.begin_read()?;
        get_json(
            &tx.open_table(EVENT_CONFIGS)?,
            &alias_key(function, qualifier),
        )
    }

    /// Every asynchronous invocation configuration of a function.
    pub fn event_configs(&self, function: &str) -> Result<Vec<EventInvokeConfig>, StoreError> {
        let tx = self.db.begin_read()?;
        scan_prefix(&tx.open_table(EVENT_CONFIGS)?, &format!("{function}\0"))
    }

    /// Store (replace) an asynchronous invocation configuration.
    pub fn put_event_config(&self, config: &EventInvokeConfig) -> Result<(), StoreError> {
        self.write(|tx| {
            if tx
                .open_table(FUNCTIONS)?
                .get(config.function.as_str())?
                .is_none()
            {
                return Err(not_found(&config.function));
            }
            tx.open_table(EVENT_CONFIGS)?.insert(
                alias_key(&config.function, &config.qualifier).as_str(),
                serde_json::to_vec(config)?.as_slice(),
            )?;
            Ok(())
        })
    }

    /// Delete an asynchronous invocation configuration; whether there was one.
    pub fn delete_event_config(&self, function: &str, qualifier: &str) -> Result<bool, StoreError> {
        self.write(|tx| {
            Ok(tx
                .open_table(EVENT_CONFIGS)?
                .remove(alias_key(function, qualifier).as_str())?
                .is_some())
        })
    }

    /// Delete an alias.
    pub fn delete_alias(&self, function: &str, alias: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            let mut t = tx.open_table(ALIASES)?;
            if t.remove(alias_key(function, alias).as_str())?.is_none() {
                return Err(alias_not_found(function, alias));
            }
            Ok(())
        })
    }

    /// The zip package with this base64 SHA-256.
    pub fn code(&self, sha: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let tx = self.db.begin_read()?;
        Ok(tx.open_table(CODE)?.get(sha)?.map(|v| v.value().to_vec()))
    }

    /// The encoded module with this hex hash.
    pub fn module(&self, hash: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let tx = self.db.begin_read()?;
        Ok(tx
            .open_table(MODULES)?
            .get(hash)?
            .map(|v| v.value().to_vec()))
    }

    /// Append an event to the asynchronous queue; returns its sequence number.
    pub fn enqueue_event(&self, event: &QueuedEvent) -> Result<u64, StoreError> {
        self.write(|tx| {
            let mut t = tx.open_table(EVENTS)?;
            if t.len()? >= MAX_QUEUED_EVENTS {
                return Err(StoreError::QueueFull);
            }
            let seq = match t.last()? {
                Some((k, _)) => k.value().saturating_add(1),
                None => 1,
            };
            t.insert(seq, serde_json::to_vec(event)?.as_slice())?;
            Ok(seq)
        })
    }

    /// Up to `limit` queued events, oldest first.
    pub fn queued_events(&self, limit: usize) -> Result<Vec<(u64, QueuedEvent)>, StoreError> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(EVENTS)?;
        let mut out = Vec::new();
        for row in t.iter()?.take(limit) {
            let (k, v) = row?;
            out.push((k.value(), serde_json::from_slice(v.value())?));
        }
        Ok(out)
    }

    /// Number of queued events.
    pub fn queue_len(&self) -> Result<u64, StoreError> {
        let tx = self.db.begin_read()?;
        Ok(tx.open_table(EVENTS)?.len()?)
    }

    /// Replace a queued event (after a failed attempt) or remove it (`None`).
    pub fn settle_event(&self, seq: u64, next: Option<&QueuedEvent>) -> Result<(), StoreError> {
        self.write(|tx| {
            let mut t = tx.open_table(EVENTS)?;
            match next {
                Some(e) => {
                    t.insert(seq, serde_json::to_vec(e)?.as_slice())?;
                }
                None => {
                    t.remove(seq)?;
                }
            }
            Ok(())
        })
    }
}

/// Snapshot `$LATEST` as the next version inside `tx`.
fn publish_in(
    tx: &WriteTransaction,
    record: &mut FunctionRecord,
    description: Option<&str>,
) -> Result<FunctionConfig, StoreError> {
    let number = record.next_version;
    let mut snapshot = record.latest.clone();
    snapshot.version = number.to_string();
    if let Some(d) = description {
        snapshot.description = d.to_string();
    }
    tx.open_table(VERSIONS)?.insert(
        version_key(&record.latest.name, number).as_str(),
        serde_json::to_vec(&snapshot)?.as_slice(),
    )?;
    record.next_version = number.saturating_add(1);
    Ok(snapshot)
}

/// The CloudWatch-style log group of a function, as Lambda names it.
pub fn log_group_name(name: &str) -> String {
    format!("/aws/lambda/{name}")
}

/// The ARN of a function (optionally qualified).
pub fn function_arn(name: &str, qualifier: Option<&str>) -> String {
    match qualifier {
        Some(q) => format!("arn:aws:lambda:us-east-1:000000000000:function:{name}:{q}"),
        None => format!("arn:aws:lambda:us-east-1:000000000000:function:{name}"),
    }
}

/// The ARN of an alias.
pub fn alias_arn(function: &str, alias: &str) -> String {
    function_arn(function, Some(alias))
}

fn not_found(what: &str) -> StoreError {
    StoreError::NotFound(format!("Function not found: {}", function_arn(what, None)))
}

fn alias_not_found(function: &str, alias: &str) -> StoreError {
    StoreError::NotFound(format!("Alias not found: {}", alias_arn(function, alias)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(name: &str) -> FunctionConfig {
        FunctionConfig {
            name: name.into(),
            version: "$LATEST".into(),
            runtime: "python3.11".into(),
            role: "arn:aws:iam::000000000000:role/r".into(),
            handler: "lambda_function.handler".into(),
            description: String::new(),
            timeout: 3,
            memory_size: 128,
            environment: BTreeMap::new(),
            code_sha256: "sha".into(),
            code_size: 3,
            module_hash: "ab".into(),
            last_modified: "x".into(),
            revision_id: "r1".into(),
        }
    }

    fn temp_store() -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "nanolambda-store-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        (Store::open(&dir.join("db.redb")).unwrap(), dir)
    }

    #[test]
    fn function_lifecycle_versions_aliases_and_reopen() {
        let (store, dir) = temp_store();
        store
            .put_function(true, &config("f"), Some(b"zip"), Some(b"mod"), false)
            .unwrap();
        assert!(matches!(
            store.put_function(true, &config("f"), None, None, false),
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store.put_function(false, &config("g"), None, None, false),
            Err(StoreError::NotFound(_))
        ));
        let v1 = store.publish_version("f", Some("first"), None).unwrap();
        assert_eq!(v1.version, "1");
        assert_eq!(v1.description, "first");
        // Nothing changed since version 1: no new version.
        let again = store.publish_version("f", Some("again"), None).unwrap();
        assert_eq!(
            (again.version.as_str(), again.description.as_str()),
            ("1", "first")
        );
        let mut c = config("f");
        c.timeout = 9;
        let v2 = store.put_function(false, &c, None, None, true).unwrap();
        assert_eq!(v2.version, "2");
        assert_eq!(store.version("f", 2).unwrap().timeout, 9);
        assert_eq!(store.version("f", 1).unwrap().timeout, 3);
        assert!(matches!(
            store.publish_version("f", None, Some("other")),
            Err(StoreError::Conflict(_))
        ));
        let alias = AliasRecord {
            name: "prod".into(),
            function: "f".into(),
            function_version: "1".into(),
            description: String::new(),
            revision_id: "a".into(),
            additional_version_weights: BTreeMap::new(),
        };
        store.put_alias(&alias, true).unwrap();
        assert!(matches!(
            store.put_alias(&alias, true),
            Err(StoreError::Conflict(_))
        ));
        let bad = AliasRecord {
            function_version: "7".into(),
            ..alias.clone()
        };
        assert!(matches!(
            store.put_alias(&bad, false),
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            store.delete_version("f", 1),
            Err(StoreError::Conflict(_))
        ));
        store.delete_version("f", 2).unwrap();
        assert_eq!(store.versions("f").unwrap().len(), 1);
        store
            .put_function(true, &config("a"), None, None, false)
            .unwrap();
        drop(store);

        let store = Store::open(&dir.join("db.redb")).unwrap();
        assert_eq!(store.function("f").unwrap().latest.timeout, 9);
        assert_eq!(store.code("sha").unwrap().as_deref(), Some(&b"zip"[..]));
        assert_eq!(store.module("ab").unwrap().as_deref(), Some(&b"mod"[..]));
        assert_eq!(store.alias("f", "prod").unwrap().function_version, "1");
        let (page, more) = store.list_functions(None, 1).unwrap();
        assert_eq!((page[0].name.as_str(), more), ("a", true));
        let (page, more) = store.list_functions(Some("a"), 1).unwrap();
        assert_eq!((page[0].name.as_str(), more), ("f", false));
        store.delete_function("f").unwrap();
        assert!(store.versions("f").unwrap().is_empty());
        assert!(store.aliases("f").unwrap().is_empty());
        assert!(matches!(store.function("f"), Err(StoreError::NotFound(_))));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn event_queue_is_ordered_and_settles() {
        let (store, dir) = temp_store();
        let ev = |n: &str| QueuedEvent {
            function: n.into(),
            qualifier: None,
            payload: b"{}".to_vec(),
            attempts: 0,
            not_before_ms: 0,
            request_id: "id".into(),
            enqueued_ms: 0,
        };
        let a = store.enqueue_event(&ev("a")).unwrap();
        let b = store.enqueue_event(&ev("b")).unwrap();
        assert!(b > a);
        let q = store.queued_events(10).unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].1.function, "a");
        let mut retry = ev("a");
        retry.attempts = 1;
        store.settle_event(a, Some(&retry)).unwrap();
        assert_eq!(store.queued_events(1).unwrap()[0].1.attempts, 1);
        store.settle_event(a, None).unwrap();
        assert_eq!(store.queue_len().unwrap(), 1);
        let _ = std::fs::remove_dir_all(dir);
    }
}
