//! The asynchronous (`Event`) invocation worker: drains the durable queue
//! in the store, running each event with Lambda's retry policy (an event
//! whose run ends in a function error is retried twice more, after 1 and
//! then 2 minutes as in Lambda; `nanolambda up --event-retry-delay SECS`
//! sets the first delay, the second being twice it). A function's
//! `FunctionEventInvokeConfig` lowers the retries (`MaximumRetryAttempts`)
//! or the age at which an event is dropped unrun (`MaximumEventAgeInSeconds`),
//! and names destination functions that get Lambda's invocation record
//! (`OnSuccess`, `OnFailure`) as an event of their own. An event leaves the
//! queue only once it succeeded, used up its attempts or its age, or its
//! function is gone, so events accepted before a crash run after the restart.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::functions::{Functions, InvokeOutcome, Invoked, ServiceError};
use crate::store::{EventInvokeConfig, QueuedEvent, unix_ms};

/// Attempts per event (the first run + 2 retries).
pub const MAX_ATTEMPTS: u32 = 3;
/// Lambda's back-off before retry `n` (1-based): `n` × this.
pub const RETRY_BACKOFF: Duration = Duration::from_secs(60);
/// Events run at the same time from the queue.
const CONCURRENCY: usize = 4;

/// What to do with an event after one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settle {
    /// Remove it from the queue; with the destination condition
    /// (`Success`, `RetriesExhausted`) when its record goes to one.
    Done(Option<&'static str>),
    /// Keep it, updated (next attempt later).
    Retry(QueuedEvent),
}

/// The retry policy of one function (Lambda's unless its
/// `FunctionEventInvokeConfig` says otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Runs per event (1 + retries).
    pub max_attempts: u32,
    /// Oldest an event may be to run, in ms.
    pub max_age_ms: u64,
    /// Retry `n` waits `n` × this.
    pub backoff: Duration,
}

impl Policy {
    /// Lambda's defaults with `backoff`, overridden by `config`.
    pub fn new(backoff: Duration, config: Option<&EventInvokeConfig>) -> Policy {
        Policy {
            max_attempts: config
                .and_then(|c| c.maximum_retry_attempts)
                .map_or(MAX_ATTEMPTS, |r| r.saturating_add(1)),
            max_age_ms: config
                .and_then(|c| c.maximum_event_age_in_seconds)
                .map_or(21_600_000, |s| u64::from(s) * 1000),
            backoff,
        }
    }

    /// Whether `event` is too old to run at `now`.
    pub fn expired(&self, event: &QueuedEvent, now: u64) -> bool {
        event.enqueued_ms != 0 && now.saturating_sub(event.enqueued_ms) > self.max_age_ms
    }
}

/// Lambda's policy: retry function errors and node failures up to
/// `policy.max_attempts` runs; retry throttling without counting it; drop
/// events whose function no longer exists.
pub fn settle(
    event: &QueuedEvent,
    result: Result<&InvokeOutcome, &ServiceError>,
    now: u64,
    policy: &Policy,
) -> Settle {
    match result {
        Ok(InvokeOutcome::Ok(_)) => Settle::Done(Some("Success")),
        Err(
            ServiceError::NotFound(_)
            | ServiceError::InvalidParameter(_)
            | ServiceError::InvalidRequestContent(_)
            | ServiceError::RequestTooLarge(_),
        ) => Settle::Done(None),
        Err(ServiceError::TooManyRequests(_)) => Settle::Retry(QueuedEvent {
            not_before_ms: now.saturating_add(100),
            ..event.clone()
        }),
        Ok(InvokeOutcome::FunctionError(_))
        | Err(ServiceError::Internal(_) | ServiceError::Conflict(_)) => {
            let attempts = event.attempts.saturating_add(1);
            if attempts >= policy.max_attempts {
                Settle::Done(Some("RetriesExhausted"))
            } else {
                let backoff = u64::try_from(policy.backoff.as_millis())
                    .unwrap_or(u64::MAX)
                    .saturating_mul(u64::from(attempts));
                Settle::Retry(QueuedEvent {
                    attempts,
                    not_before_ms: now.saturating_add(backoff),
                    ..event.clone()
                })
            }
        }
    }
}

/// Run the queue until the process ends (spawn on the actix system);
/// retry `n` of a failed event waits `n` × `backoff`.
pub async fn run(functions: Arc<Functions>, backoff: Duration) {
    let in_flight: Arc<Mutex<HashSet<u64>>> = Arc::default();
    loop {
        let due: Vec<(u64, QueuedEvent)> = {
            let busy = in_flight.lock().map(|s| s.clone()).unwrap_or_default();
            if busy.len() >= CONCURRENCY {
                Vec::new()
            } else {
                let now = unix_ms();
                match functions.store().queued_events(256) {
                    Ok(events) => events
                        .into_iter()
                        .filter(|(seq, e)| e.not_before_ms <= now && !busy.contains(seq))
                        .take(CONCURRENCY - busy.len())
                        .collect(),
                    Err(e) => {
                        tracing::error!("reading the event queue: {e}");
                        Vec::new()
                    }
                }
            }
        };
        if due.is_empty() {
            tokio::select! {
                () = functions.event_wakeup().notified() => {}
                () = tokio::time::sleep(Duration::from_millis(200)) => {}
            }
            continue;
        }
        for (seq, event) in due {
            if let Ok(mut s) = in_flight.lock() {
                s.insert(seq);
            }
            let functions = Arc::clone(&functions);
            let in_flight = Arc::clone(&in_flight);
            actix_rt::spawn(async move {
                let f = Arc::clone(&functions);
                let (name, qualifier) = (event.function.clone(), event.qualifier.clone());
                let config = tokio::task::spawn_blocking(move || {
                    f.event_config(&name, qualifier.as_deref())
                })
                .await
                .ok()
                .and_then(Result::ok)
                .flatten();
                let policy = Policy::new(backoff, config.as_ref());
                let (result, settled) = if policy.expired(&event, unix_ms()) {
                    tracing::warn!(function = %event.function, request_id = %event.request_id,
                        "asynchronous invocation dropped unrun: older than {} s", policy.max_age_ms / 1000);
                    (None, Settle::Done(Some("EventAgeExceeded")))
                } else {
                    let result = functions
                        .invoke(&event.function, event.qualifier.as_deref(), &event.payload)
                        .await;
                    let settled = settle(
                        &event,
                        result.as_ref().map(|i| &i.outcome),
                        unix_ms(),
                        &policy,
                    );
                    (Some(result), settled)
                };
                let next = match settled {
                    Settle::Done(condition) => {
                        if let Some(
                            Ok(Invoked {
                                outcome: InvokeOutcome::FunctionError(doc),
                                ..
                            })
                            | Err(ServiceError::Internal(doc)),
                        ) = &result
                        {
                            tracing::warn!(function = %event.function, request_id = %event.request_id,
                                "asynchronous invocation failed after {} attempts: {doc}", event.attempts + 1);
                        }
                        let destination = config.as_ref().and_then(|c| match condition {
                            Some("Success") => c.on_success.clone(),
                            Some(_) => c.on_failure.clone(),
                            None => None,
                        });
                        if let (Some(arn), Some(condition)) = (destination, condition) {
                            let record = invocation_record(&event, condition, result.as_ref());
                            let f = Arc::clone(&functions);
                            let delivered = tokio::task::spawn_blocking(move || {
                                f.deliver_record(&arn, &record)
                            })
                            .await;
                            if !matches!(delivered, Ok(Ok(_))) {
                                tracing::warn!(function = %event.function, request_id = %event.request_id,
                                    "the invocation record could not be queued for its destination: {delivered:?}");
                            }
                        }
                        None
                    }
                    Settle::Retry(e) => Some(e),
                };
                let f = Arc::clone(&functions);
                let stored =
                    tokio::task::spawn_blocking(move || f.store().settle_event(seq, next.as_ref()))
                        .await;
                if !matches!(stored, Ok(Ok(()))) {
                    tracing::error!("settling queued event {seq} failed");
                }
                if let Ok(mut s) = in_flight.lock() {
                    s.remove(&seq);
                }
                functions.event_wakeup().notify_one();
            });
        }
    }
}

/// Lambda's invocation record for a destination: the request (its id, the
/// function's ARN, why the record is sent, runs made), the event, and the
/// last run's response (absent when the event expired unrun).
pub fn invocation_record(
    event: &QueuedEvent,
    condition: &str,
    result: Option<&Result<Invoked, ServiceError>>,
) -> Vec<u8> {
    use serde_json::{Value, json};
    let parse =
        |text: &str| serde_json::from_str::<Value>(text).unwrap_or(Value::String(text.into()));
    let runs = event.attempts + u32::from(result.is_some());
    let qualifier = event.qualifier.as_deref().unwrap_or("$LATEST");
    let mut record = json!({
        "version": "1.0",
        "timestamp": crate::s3::iso8601(unix_ms()),
        "requestContext": {
            "requestId": event.request_id,
            "functionArn": crate::store::function_arn(&event.function, Some(qualifier)),
            "condition": condition,
            "approximateInvokeCount": runs,
        },
        "requestPayload": parse(&String::from_utf8_lossy(&event.payload)),
    });
    let response = match result {
        Some(Ok(invoked)) => {
            let mut context = json!({
                "statusCode": 200,
                "executedVersion": invoked.executed_version,
            });
            let payload = match &invoked.outcome {
                InvokeOutcome::Ok(json) => parse(json),
                InvokeOutcome::FunctionError(doc) => {
                    context["functionError"] = json!("Unhandled");
                    parse(doc)
                }
            };
            Some((context, payload))
        }
        Some(Err(e)) => Some((
            json!({ "statusCode": 500, "functionError": "Unhandled" }),
            json!({ "errorMessage": e.to_string(), "errorType": "ServiceException" }),
        )),
        None => None,
    };
    if let (Some((context, payload)), Some(obj)) = (response, record.as_object_mut()) {
        obj.insert("responseContext".into(), context);
        obj.insert("responsePayload".into(), payload);
    }
    serde_json::to_vec(&record).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: Policy = Policy {
        max_attempts: MAX_ATTEMPTS,
        max_age_ms: 21_600_000,
        backoff: Duration::from_secs(1),
    };

    fn ev(attempts: u32) -> QueuedEvent {
        QueuedEvent {
            function: "f".into(),
            qualifier: None,
            payload: b"{}".to_vec(),
            attempts,
            not_before_ms: 0,
            request_id: "r".into(),
            enqueued_ms: 0,
        }
    }

    #[test]
    fn retries_function_errors_twice() {
        let err = Ok(InvokeOutcome::FunctionError("{}".into()));
        let Settle::Retry(first) = settle(&ev(0), err.as_ref(), 1000, &POLICY) else {
            panic!("first failure must retry");
        };
        assert_eq!((first.attempts, first.not_before_ms), (1, 2000));
        let Settle::Retry(second) = settle(&first, err.as_ref(), 5000, &POLICY) else {
            panic!("second failure must retry");
        };
        assert_eq!((second.attempts, second.not_before_ms), (2, 7000));
        assert_eq!(
            settle(&second, err.as_ref(), 9000, &POLICY),
            Settle::Done(Some("RetriesExhausted"))
        );
    }

    #[test]
    fn success_missing_function_and_throttling() {
        assert_eq!(
            settle(&ev(0), Ok(&InvokeOutcome::Ok("1".into())), 0, &POLICY),
            Settle::Done(Some("Success"))
        );
        assert_eq!(
            settle(&ev(1), Err(&ServiceError::NotFound("x".into())), 0, &POLICY),
            Settle::Done(None)
        );
        let Settle::Retry(e) = settle(
            &ev(2),
            Err(&ServiceError::TooManyRequests("x".into())),
            0,
            &POLICY,
        ) else {
            panic!("throttled events stay queued");
        };
        assert_eq!(e.attempts, 2);
    }

    #[test]
    fn event_invoke_configs_lower_retries_and_age() {
        let config = EventInvokeConfig {
            function: "f".into(),
            qualifier: "$LATEST".into(),
            maximum_retry_attempts: Some(0),
            maximum_event_age_in_seconds: Some(60),
            on_success: None,
            on_failure: None,
            last_modified_ms: 0,
        };
        let policy = Policy::new(Duration::from_secs(60), Some(&config));
        let err = Ok(InvokeOutcome::FunctionError("{}".into()));
        assert_eq!(
            settle(&ev(0), err.as_ref(), 0, &policy),
            Settle::Done(Some("RetriesExhausted"))
        );
        let mut old = ev(0);
        old.enqueued_ms = 1_000;
        assert!(!policy.expired(&old, 61_000));
        assert!(policy.expired(&old, 61_001));
        // Queues written before `enqueued_ms` existed never expire.
        assert!(!policy.expired(&ev(0), u64::MAX));
        assert_eq!(Policy::new(Duration::from_secs(60), None).max_attempts, 3);
    }

    #[test]
    fn invocation_records_have_lambdas_shape() {
        let mut e = ev(2);
        e.payload = br#"{"order": 7}"#.to_vec();
        let run = Ok(Invoked {
            outcome: InvokeOutcome::FunctionError(r#"{"errorType": "ValueError"}"#.into()),
            executed_version: "$LATEST".into(),
            log_tail: String::new(),
            request_id: "x".into(),
        });
        let r: serde_json::Value =
            serde_json::from_slice(&invocation_record(&e, "RetriesExhausted", Some(&run))).unwrap();
        assert_eq!(r["version"], "1.0");
        assert_eq!(r["requestContext"]["requestId"], "r");
        assert_eq!(r["requestContext"]["condition"], "RetriesExhausted");
        assert_eq!(r["requestContext"]["approximateInvokeCount"], 3);
        assert_eq!(
            r["requestContext"]["functionArn"],
            "arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST"
        );
        assert_eq!(r["requestPayload"]["order"], 7);
        assert_eq!(r["responseContext"]["functionError"], "Unhandled");
        assert_eq!(r["responsePayload"]["errorType"], "ValueError");
        let unrun: serde_json::Value =
            serde_json::from_slice(&invocation_record(&e, "EventAgeExceeded", None)).unwrap();
        assert!(unrun.get("responsePayload").is_none());
        assert_eq!(unrun["requestContext"]["approximateInvokeCount"], 2);
    }
}
