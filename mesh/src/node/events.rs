//! The asynchronous (`Event`) invocation worker: drains the durable queue
//! in the store, running each event with Lambda's retry policy (an event
//! whose run ends in a function error is retried twice more, after 1 and
//! then 2 minutes as in Lambda; `nanolambda up --event-retry-delay SECS`
//! sets the first delay, the second being twice it). An event leaves the queue
//! only once it succeeded, used up its attempts, or its function is gone,
//! so events accepted before a crash run after the restart.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::functions::{Functions, InvokeOutcome, ServiceError};
use crate::store::QueuedEvent;

/// Attempts per event (the first run + 2 retries).
pub const MAX_ATTEMPTS: u32 = 3;
/// Lambda's back-off before retry `n` (1-based): `n` × this.
pub const RETRY_BACKOFF: Duration = Duration::from_secs(60);
/// Events run at the same time from the queue.
const CONCURRENCY: usize = 4;

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// What to do with an event after one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settle {
    /// Remove it from the queue.
    Done,
    /// Keep it, updated (next attempt later).
    Retry(QueuedEvent),
}

/// Lambda's policy: retry function errors and node failures up to
/// [`MAX_ATTEMPTS`] runs; retry throttling without counting it; drop events
/// whose function no longer exists.
pub fn settle(
    event: &QueuedEvent,
    result: &Result<InvokeOutcome, ServiceError>,
    now: u64,
    backoff: Duration,
) -> Settle {
    match result {
        Ok(InvokeOutcome::Ok(_)) => Settle::Done,
        Err(
            ServiceError::NotFound(_)
            | ServiceError::InvalidParameter(_)
            | ServiceError::InvalidRequestContent(_)
            | ServiceError::RequestTooLarge(_),
        ) => Settle::Done,
        Err(ServiceError::TooManyRequests(_)) => Settle::Retry(QueuedEvent {
            not_before_ms: now.saturating_add(100),
            ..event.clone()
        }),
        Ok(InvokeOutcome::FunctionError(_))
        | Err(ServiceError::Internal(_) | ServiceError::Conflict(_)) => {
            let attempts = event.attempts.saturating_add(1);
            if attempts >= MAX_ATTEMPTS {
                Settle::Done
            } else {
                let backoff = u64::try_from(backoff.as_millis())
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
                let now = now_ms();
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
                let result = functions
                    .invoke(&event.function, event.qualifier.as_deref(), &event.payload)
                    .await
                    .map(|i| i.outcome);
                let next = match settle(&event, &result, now_ms(), backoff) {
                    Settle::Done => {
                        if let Ok(InvokeOutcome::FunctionError(doc))
                        | Err(ServiceError::Internal(doc)) = &result
                        {
                            tracing::warn!(function = %event.function, request_id = %event.request_id,
                                "asynchronous invocation failed after {} attempts: {doc}", event.attempts + 1);
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

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn ev(attempts: u32) -> QueuedEvent {
        QueuedEvent {
            function: "f".into(),
            qualifier: None,
            payload: b"{}".to_vec(),
            attempts,
            not_before_ms: 0,
            request_id: "r".into(),
        }
    }

    #[test]
    fn retries_function_errors_twice() {
        let err = Ok(InvokeOutcome::FunctionError("{}".into()));
        let Settle::Retry(first) = settle(&ev(0), &err, 1000, SECOND) else {
            panic!("first failure must retry");
        };
        assert_eq!((first.attempts, first.not_before_ms), (1, 2000));
        let Settle::Retry(second) = settle(&first, &err, 5000, SECOND) else {
            panic!("second failure must retry");
        };
        assert_eq!((second.attempts, second.not_before_ms), (2, 7000));
        assert_eq!(settle(&second, &err, 9000, SECOND), Settle::Done);
    }

    #[test]
    fn success_missing_function_and_throttling() {
        assert_eq!(
            settle(&ev(0), &Ok(InvokeOutcome::Ok("1".into())), 0, SECOND),
            Settle::Done
        );
        assert_eq!(
            settle(&ev(1), &Err(ServiceError::NotFound("x".into())), 0, SECOND),
            Settle::Done
        );
        let Settle::Retry(e) = settle(
            &ev(2),
            &Err(ServiceError::TooManyRequests("x".into())),
            0,
            SECOND,
        ) else {
            panic!("throttled events stay queued");
        };
        assert_eq!(e.attempts, 2);
    }
}
