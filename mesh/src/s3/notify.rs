//! Bucket notifications to Lambda functions: the configuration
//! (`LambdaFunctionConfigurations` with events and prefix/suffix key
//! filters), its XML both ways, matching an object change against it, and
//! the standard S3 event document a triggered function receives.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::error::{S3Code, S3Error};
use super::xml::{self, Element, push_elem};

/// Events a configuration may name.
pub const EVENTS: [&str; 9] = [
    "s3:ObjectCreated:*",
    "s3:ObjectCreated:Put",
    "s3:ObjectCreated:Post",
    "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectRemoved:*",
    "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:*",
];

/// One `LambdaFunctionConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LambdaTarget {
    /// `Id` (generated when absent).
    pub id: String,
    /// `LambdaFunctionArn` as given.
    pub function_arn: String,
    /// Events, e.g. `s3:ObjectCreated:*`.
    pub events: Vec<String>,
    /// Key prefix filter.
    pub prefix: Option<String>,
    /// Key suffix filter.
    pub suffix: Option<String>,
}

/// A bucket's notification configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationConfig {
    /// Lambda targets.
    pub lambda: Vec<LambdaTarget>,
}

/// The function name and qualifier of a Lambda ARN (or a bare name).
pub fn function_of_arn(arn: &str) -> Option<(String, Option<String>)> {
    let parts: Vec<&str> = arn.split(':').collect();
    let (name, qualifier) = match parts.as_slice() {
        ["arn", _, "lambda", _, _, "function", name] => (*name, None),
        ["arn", _, "lambda", _, _, "function", name, q] => (*name, Some(*q)),
        [name] => (*name, None),
        _ => return None,
    };
    (!name.is_empty()).then(|| (name.to_string(), qualifier.map(str::to_string)))
}

impl NotificationConfig {
    /// Parse a `NotificationConfiguration` document. Lambda targets are
    /// read from `CloudFunctionConfiguration` (boto3's wire name) or
    /// `LambdaFunctionConfiguration`; topic and queue targets are refused.
    pub fn from_xml(doc: &[u8]) -> Result<Self, S3Error> {
        if doc.iter().all(u8::is_ascii_whitespace) {
            return Err(S3Error::malformed_xml("empty document"));
        }
        let root = xml::parse(doc).map_err(S3Error::malformed_xml)?;
        if root.name != "NotificationConfiguration" {
            return Err(S3Error::malformed_xml(format!(
                "expected <NotificationConfiguration>, got <{}>",
                root.name
            )));
        }
        let mut config = NotificationConfig::default();
        for c in &root.children {
            match c.name.as_str() {
                "CloudFunctionConfiguration" | "LambdaFunctionConfiguration" => {
                    config.lambda.push(parse_target(c, config.lambda.len())?);
                }
                "TopicConfiguration" | "QueueConfiguration" => {
                    return Err(S3Error::new(
                        S3Code::NotImplemented,
                        "only LambdaFunctionConfigurations are supported",
                    ));
                }
                "EventBridgeConfiguration" => {}
                other => {
                    return Err(S3Error::malformed_xml(format!("unexpected <{other}>")));
                }
            }
        }
        Ok(config)
    }

    /// The `NotificationConfiguration` document.
    pub fn to_xml(&self) -> String {
        let mut s = format!(
            "{}<NotificationConfiguration xmlns=\"{}\">",
            xml::DECL,
            xml::NS
        );
        for t in &self.lambda {
            s.push_str("<CloudFunctionConfiguration>");
            push_elem(&mut s, "Id", &t.id);
            push_elem(&mut s, "CloudFunction", &t.function_arn);
            for e in &t.events {
                push_elem(&mut s, "Event", e);
            }
            if t.prefix.is_some() || t.suffix.is_some() {
                s.push_str("<Filter><S3Key>");
                for (name, v) in [("prefix", &t.prefix), ("suffix", &t.suffix)] {
                    if let Some(v) = v {
                        s.push_str("<FilterRule>");
                        push_elem(&mut s, "Name", name);
                        push_elem(&mut s, "Value", v);
                        s.push_str("</FilterRule>");
                    }
                }
                s.push_str("</S3Key></Filter>");
            }
            s.push_str("</CloudFunctionConfiguration>");
        }
        s.push_str("</NotificationConfiguration>");
        s
    }

    /// The targets to invoke for `event` (e.g. `ObjectCreated:Put`) on `key`.
    pub fn matching<'a>(
        &'a self,
        event: &'a str,
        key: &'a str,
    ) -> impl Iterator<Item = &'a LambdaTarget> + 'a {
        self.lambda.iter().filter(move |t| {
            t.events.iter().any(|e| event_matches(e, event))
                && t.prefix.as_deref().is_none_or(|p| key.starts_with(p))
                && t.suffix.as_deref().is_none_or(|s| key.ends_with(s))
        })
    }
}

/// Whether a configured event (`s3:ObjectCreated:*`) covers `event` (`ObjectCreated:Put`).
pub fn event_matches(configured: &str, event: &str) -> bool {
    let Some(c) = configured.strip_prefix("s3:") else {
        return false;
    };
    if c == "*" {
        return true;
    }
    match c.strip_suffix('*') {
        Some(prefix) => event.starts_with(prefix),
        None => c == event,
    }
}

fn parse_target(c: &Element, index: usize) -> Result<LambdaTarget, S3Error> {
    let arn = c
        .text_of("CloudFunction")
        .or_else(|| c.text_of("LambdaFunctionArn"))
        .ok_or_else(|| S3Error::malformed_xml("a Lambda configuration needs its function ARN"))?;
    if function_of_arn(arn).is_none() {
        return Err(S3Error::new(
            S3Code::InvalidArgument,
            format!("The ARN '{arn}' is not a Lambda function ARN"),
        ));
    }
    let events: Vec<String> = c.all("Event").map(|e| e.text.trim().to_string()).collect();
    if events.is_empty() {
        return Err(S3Error::malformed_xml(
            "a Lambda configuration needs an <Event>",
        ));
    }
    if let Some(bad) = events.iter().find(|e| !EVENTS.contains(&e.as_str())) {
        return Err(S3Error::new(
            S3Code::InvalidArgument,
            format!("The event is not supported for notifications: {bad}"),
        ));
    }
    let mut t = LambdaTarget {
        id: c
            .text_of("Id")
            .filter(|s| !s.is_empty())
            .map_or_else(|| format!("notification-{}", index + 1), str::to_string),
        function_arn: arn.to_string(),
        events,
        prefix: None,
        suffix: None,
    };
    if let Some(key) = c.child("Filter").and_then(|f| f.child("S3Key")) {
        for rule in key.all("FilterRule") {
            let value = rule.text_of("Value").unwrap_or_default().to_string();
            match rule.text_of("Name").map(str::to_ascii_lowercase).as_deref() {
                Some("prefix") if t.prefix.is_none() => t.prefix = Some(value),
                Some("suffix") if t.suffix.is_none() => t.suffix = Some(value),
                _ => {
                    return Err(S3Error::new(
                        S3Code::InvalidArgument,
                        "FilterRule names must be 'prefix' or 'suffix', each at most once",
                    ));
                }
            }
        }
    }
    Ok(t)
}

/// `application/x-www-form-urlencoded` encoding of a key, as S3 puts it in events.
pub fn event_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for &b in key.as_bytes() {
        match b {
            b' ' => out.push('+'),
            b if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'*' | b'/') => {
                out.push(char::from(b));
            }
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// What changed, for the event document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectChange<'a> {
    /// `ObjectCreated:Put`, `ObjectRemoved:Delete`...
    pub event: &'a str,
    /// Bucket.
    pub bucket: &'a str,
    /// Key (not encoded).
    pub key: &'a str,
    /// Size (created objects).
    pub size: Option<u64>,
    /// ETag without quotes (created objects).
    pub etag: Option<&'a str>,
    /// ISO 8601 time with milliseconds.
    pub time: &'a str,
    /// Unique, increasing per key.
    pub sequencer: String,
    /// Request id of the change.
    pub request_id: &'a str,
}

/// The standard S3 event document for one change and one target.
pub fn event_document(change: &ObjectChange<'_>, configuration_id: &str) -> serde_json::Value {
    let mut object = json!({"key": event_key(change.key), "sequencer": change.sequencer});
    if let (Some(size), Some(etag), Some(o)) = (change.size, change.etag, object.as_object_mut()) {
        o.insert("size".into(), json!(size));
        o.insert("eTag".into(), json!(etag));
    }
    json!({"Records": [{
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": "us-east-1",
        "eventTime": change.time,
        "eventName": change.event,
        "userIdentity": {"principalId": "nanolambda"},
        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
        "responseElements": {"x-amz-request-id": change.request_id, "x-amz-id-2": change.request_id},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": configuration_id,
            "bucket": {
                "name": change.bucket,
                "ownerIdentity": {"principalId": "nanolambda"},
                "arn": format!("arn:aws:s3:::{}", change.bucket),
            },
            "object": object,
        },
    }]})
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTO: &str = r#"<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CloudFunctionConfiguration><Id>t1</Id><CloudFunction>arn:aws:lambda:us-east-1:000000000000:function:proc</CloudFunction><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>in/</Value></FilterRule><FilterRule><Name>Suffix</Name><Value>.csv</Value></FilterRule></S3Key></Filter></CloudFunctionConfiguration><CloudFunctionConfiguration><CloudFunction>arn:aws:lambda:us-east-1:000000000000:function:gone:prod</CloudFunction><Event>s3:ObjectRemoved:*</Event></CloudFunctionConfiguration></NotificationConfiguration>"#;

    #[test]
    fn parses_matches_and_round_trips() {
        let c = NotificationConfig::from_xml(BOTO.as_bytes()).unwrap();
        assert_eq!(c.lambda.len(), 2);
        assert_eq!(c.lambda[0].prefix.as_deref(), Some("in/"));
        assert_eq!(c.lambda[0].suffix.as_deref(), Some(".csv"));
        assert_eq!(c.lambda[1].id, "notification-2");
        let hits = |e, k| c.matching(e, k).map(|t| t.id.clone()).collect::<Vec<_>>();
        assert_eq!(hits("ObjectCreated:Put", "in/a.csv"), ["t1"]);
        assert!(hits("ObjectCreated:Put", "in/a.txt").is_empty());
        assert!(hits("ObjectCreated:Put", "out/a.csv").is_empty());
        assert_eq!(hits("ObjectRemoved:Delete", "x"), ["notification-2"]);
        let again = NotificationConfig::from_xml(c.to_xml().as_bytes()).unwrap();
        assert_eq!(again, c);
        assert_eq!(
            function_of_arn(&c.lambda[1].function_arn),
            Some(("gone".into(), Some("prod".into())))
        );
    }

    #[test]
    fn refuses_bad_configurations() {
        for bad in [
            "<NotificationConfiguration><CloudFunctionConfiguration><Event>s3:ObjectCreated:*</Event></CloudFunctionConfiguration></NotificationConfiguration>",
            "<NotificationConfiguration><CloudFunctionConfiguration><CloudFunction>f</CloudFunction><Event>s3:Bogus</Event></CloudFunctionConfiguration></NotificationConfiguration>",
            "<NotificationConfiguration><CloudFunctionConfiguration><CloudFunction>f</CloudFunction></CloudFunctionConfiguration></NotificationConfiguration>",
            "<Other/>",
            "<NotificationConfiguration>",
            "",
        ] {
            assert!(
                NotificationConfig::from_xml(bad.as_bytes()).is_err(),
                "{bad}"
            );
        }
        assert!(
            NotificationConfig::from_xml(b"<NotificationConfiguration/>")
                .unwrap()
                .lambda
                .is_empty()
        );
    }

    #[test]
    fn event_document_has_the_standard_fields() {
        let doc = event_document(
            &ObjectChange {
                event: "ObjectCreated:Put",
                bucket: "b",
                key: "in/a b.csv",
                size: Some(5),
                etag: Some("abc"),
                time: "2026-11-27T12:00:00.000Z",
                sequencer: "01".into(),
                request_id: "r",
            },
            "t1",
        );
        let r = &doc["Records"][0];
        assert_eq!(r["eventName"], "ObjectCreated:Put");
        assert_eq!(r["s3"]["bucket"]["name"], "b");
        assert_eq!(r["s3"]["object"]["key"], "in/a+b.csv");
        assert_eq!(r["s3"]["object"]["size"], 5);
        assert_eq!(r["s3"]["object"]["eTag"], "abc");
    }
}
