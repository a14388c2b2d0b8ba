//! Lambda's JSON shapes (service model `lambda/2015-03-31`): the request
//! bodies we read and the configuration, alias and list documents we write,
//! with the field names boto3 and the aws CLI expect.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::store::{self, AliasRecord, FunctionConfig};

/// `Environment` in requests.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Environment {
    /// Variables.
    #[serde(default)]
    pub variables: Option<BTreeMap<String, String>>,
}

/// `Code` of `CreateFunction`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FunctionCode {
    /// Base64 zip.
    pub zip_file: Option<String>,
    /// Not supported yet (S3 arrives with the S3 API).
    pub s3_bucket: Option<String>,
    /// Not supported (container images).
    pub image_uri: Option<String>,
}

/// `CreateFunction` body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateFunctionRequest {
    /// Name.
    pub function_name: String,
    /// `python3.x`.
    pub runtime: Option<String>,
    /// Role ARN.
    pub role: Option<String>,
    /// `module.function`.
    pub handler: Option<String>,
    /// Package.
    pub code: Option<FunctionCode>,
    /// Description.
    pub description: Option<String>,
    /// Seconds.
    pub timeout: Option<u32>,
    /// MB.
    pub memory_size: Option<u32>,
    /// Publish version 1.
    #[serde(default)]
    pub publish: bool,
    /// Environment.
    pub environment: Option<Environment>,
    /// `Zip` or `Image`.
    pub package_type: Option<String>,
}

/// `UpdateFunctionCode` body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateCodeRequest {
    /// Base64 zip.
    pub zip_file: Option<String>,
    /// Publish a version.
    #[serde(default)]
    pub publish: bool,
    /// Validate only.
    #[serde(default)]
    pub dry_run: bool,
    /// Not supported yet.
    pub s3_bucket: Option<String>,
}

/// `UpdateFunctionConfiguration` body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateConfigRequest {
    /// Runtime.
    pub runtime: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// Handler.
    pub handler: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Timeout.
    pub timeout: Option<u32>,
    /// MemorySize.
    pub memory_size: Option<u32>,
    /// Environment.
    pub environment: Option<Environment>,
}

/// `PublishVersion` body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublishVersionRequest {
    /// Expected `$LATEST` code hash.
    pub code_sha256: Option<String>,
    /// Version description.
    pub description: Option<String>,
}

/// `CreateAlias` / `UpdateAlias` body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AliasRequest {
    /// Alias name (create only; update takes it from the path).
    pub name: Option<String>,
    /// Version it points at.
    pub function_version: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Weighted routing: `{"AdditionalVersionWeights": {"2": 0.1}}`.
    pub routing_config: Option<RoutingConfig>,
}

/// `Put`/`UpdateFunctionEventInvokeConfig`'s body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventInvokeConfigRequest {
    /// Retries after a failed run (0-2).
    pub maximum_retry_attempts: Option<u32>,
    /// Oldest an event may be to run (60-21600 s).
    pub maximum_event_age_in_seconds: Option<u32>,
    /// `OnSuccess` / `OnFailure` destinations.
    pub destination_config: Option<DestinationConfig>,
}

/// `DestinationConfig`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DestinationConfig {
    /// Gets the record of each successful invocation.
    pub on_success: Option<Destination>,
    /// Gets the record of each event that failed for good.
    pub on_failure: Option<Destination>,
}

/// One destination: `{"Destination": ARN}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Destination {
    /// The ARN.
    pub destination: Option<String>,
}

/// A `FunctionEventInvokeConfig` document.
pub fn event_invoke_config(c: &crate::store::EventInvokeConfig) -> Value {
    let destination = |d: &Option<String>| match d {
        Some(arn) => json!({ "Destination": arn }),
        None => json!({}),
    };
    let mut v = json!({
        // A timestamp: boto3 reads Unix seconds.
        "LastModified": c.last_modified_ms as f64 / 1000.0,
        "FunctionArn": store::function_arn(&c.function, Some(&c.qualifier)),
        "DestinationConfig": {
            "OnSuccess": destination(&c.on_success),
            "OnFailure": destination(&c.on_failure),
        },
    });
    if let Some(obj) = v.as_object_mut() {
        if let Some(n) = c.maximum_retry_attempts {
            obj.insert("MaximumRetryAttempts".into(), json!(n));
        }
        if let Some(n) = c.maximum_event_age_in_seconds {
            obj.insert("MaximumEventAgeInSeconds".into(), json!(n));
        }
    }
    v
}

/// An alias's `RoutingConfig`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoutingConfig {
    /// Version -> share of the alias's invocations (absent: none).
    #[serde(default)]
    pub additional_version_weights: std::collections::BTreeMap<String, f64>,
}

/// `Marker`/`MaxItems`/`Qualifier`/`FunctionVersion` query parameters.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// Pagination token from a previous page.
    #[serde(rename = "Marker")]
    pub marker: Option<String>,
    /// Page size.
    #[serde(rename = "MaxItems")]
    pub max_items: Option<String>,
    /// Version or alias.
    #[serde(rename = "Qualifier")]
    pub qualifier: Option<String>,
    /// `ListAliases` filter.
    #[serde(rename = "FunctionVersion")]
    pub function_version: Option<String>,
    /// Expiry (Unix seconds) of a `Code.Location` link.
    #[serde(rename = "Expires")]
    pub expires: Option<String>,
    /// Signature of a `Code.Location` link.
    #[serde(rename = "Signature")]
    pub signature: Option<String>,
}

/// A `FunctionConfiguration` document.
pub fn function_configuration(c: &FunctionConfig) -> Value {
    let arn = if c.version == "$LATEST" {
        store::function_arn(&c.name, None)
    } else {
        store::function_arn(&c.name, Some(&c.version))
    };
    let mut v = json!({
        "FunctionName": c.name,
        "FunctionArn": arn,
        "Runtime": c.runtime,
        "Role": c.role,
        "Handler": c.handler,
        "CodeSize": c.code_size,
        "Description": c.description,
        "Timeout": c.timeout,
        "MemorySize": c.memory_size,
        "LastModified": c.last_modified,
        "CodeSha256": c.code_sha256,
        "Version": c.version,
        "TracingConfig": {"Mode": "PassThrough"},
        "RevisionId": c.revision_id,
        "State": "Active",
        "LastUpdateStatus": "Successful",
        "PackageType": "Zip",
        "Architectures": ["x86_64"],
        "EphemeralStorage": {"Size": 512},
    });
    if !c.environment.is_empty()
        && let Some(obj) = v.as_object_mut()
    {
        obj.insert("Environment".into(), json!({ "Variables": c.environment }));
    }
    v
}

/// An `AliasConfiguration` document.
pub fn alias_configuration(a: &AliasRecord) -> Value {
    let mut v = json!({
        "AliasArn": store::alias_arn(&a.function, &a.name),
        "Name": a.name,
        "FunctionVersion": a.function_version,
        "Description": a.description,
        "RevisionId": a.revision_id,
    });
    if !a.additional_version_weights.is_empty()
        && let Some(obj) = v.as_object_mut()
    {
        obj.insert(
            "RoutingConfig".into(),
            json!({ "AdditionalVersionWeights": a.additional_version_weights }),
        );
    }
    v
}

/// Page size from `MaxItems` (1..=50, default 50).
pub fn page_size(max_items: Option<&str>) -> Result<usize, String> {
    match max_items {
        None => Ok(50),
        Some(s) => match s.parse::<usize>() {
            Ok(n @ 1..=10_000) => Ok(n.min(50)),
            _ => Err(format!(
                "1 validation error detected: Value '{s}' at 'maxItems' failed to satisfy constraint: \
                 Member must have value between 1 and 10000"
            )),
        },
    }
}

/// Cut one page out of `items` by an offset marker; returns the page and
/// the next marker.
pub fn paginate<T: Clone>(
    items: &[T],
    marker: Option<&str>,
    size: usize,
) -> Result<(Vec<T>, Option<String>), String> {
    let start = match marker {
        None => 0,
        Some(m) => m
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= items.len())
            .ok_or_else(|| format!("Invalid Marker: {m}"))?,
    };
    let end = start.saturating_add(size).min(items.len());
    let page = items.get(start..end).unwrap_or_default().to_vec();
    let next = (end < items.len()).then(|| end.to_string());
    Ok((page, next))
}

/// `name`, `name:qualifier`, or a (partial) ARN: the function name and the
/// qualifier it carries.
pub fn parse_function_name(raw: &str) -> (String, Option<String>) {
    let rest = raw
        .strip_prefix("arn:aws:lambda:")
        .and_then(|r| r.split_once(":function:").map(|(_, n)| n))
        .or_else(|| {
            // partial ARN `123456789012:function:name`
            raw.split_once(":function:").map(|(_, n)| n)
        })
        .unwrap_or(raw);
    match rest.split_once(':') {
        Some((n, q)) => (n.to_string(), Some(q.to_string())),
        None => (rest.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(version: &str) -> FunctionConfig {
        FunctionConfig {
            name: "avg".into(),
            version: version.into(),
            runtime: "python3.12".into(),
            role: "arn:aws:iam::000000000000:role/lambda".into(),
            handler: "lambda_function.handler".into(),
            description: "d".into(),
            timeout: 3,
            memory_size: 128,
            environment: BTreeMap::from([("K".to_string(), "V".to_string())]),
            code_sha256: "abc=".into(),
            code_size: 42,
            module_hash: "00".into(),
            last_modified: "2026-11-27T10:00:00.000+0000".into(),
            revision_id: "r".into(),
        }
    }

    #[test]
    fn configuration_has_the_fields_boto3_reads() {
        let v = function_configuration(&cfg("$LATEST"));
        assert_eq!(
            v["FunctionArn"],
            "arn:aws:lambda:us-east-1:000000000000:function:avg"
        );
        for (k, want) in [
            ("FunctionName", json!("avg")),
            ("Runtime", json!("python3.12")),
            ("Handler", json!("lambda_function.handler")),
            ("CodeSize", json!(42)),
            ("Timeout", json!(3)),
            ("MemorySize", json!(128)),
            ("CodeSha256", json!("abc=")),
            ("Version", json!("$LATEST")),
            ("State", json!("Active")),
            ("LastUpdateStatus", json!("Successful")),
            ("PackageType", json!("Zip")),
            ("Architectures", json!(["x86_64"])),
            ("Environment", json!({"Variables": {"K": "V"}})),
        ] {
            assert_eq!(v[k], want, "{k}");
        }
        let v = function_configuration(&cfg("3"));
        assert_eq!(
            v["FunctionArn"],
            "arn:aws:lambda:us-east-1:000000000000:function:avg:3"
        );
        let mut no_env = cfg("$LATEST");
        no_env.environment.clear();
        assert!(function_configuration(&no_env).get("Environment").is_none());
    }

    #[test]
    fn requests_deserialize_from_boto3_bodies() {
        let body = r#"{"FunctionName":"avg","Runtime":"python3.12","Role":"r","Handler":"m.h",
            "Code":{"ZipFile":"UEs="},"Timeout":5,"MemorySize":256,"Publish":true,
            "Environment":{"Variables":{"A":"1"}},"Unknown":1}"#;
        let r: CreateFunctionRequest = serde_json::from_str(body).unwrap();
        assert_eq!(r.function_name, "avg");
        assert_eq!(r.code.unwrap().zip_file.as_deref(), Some("UEs="));
        assert_eq!(
            (r.timeout, r.memory_size, r.publish),
            (Some(5), Some(256), true)
        );
        assert_eq!(r.environment.unwrap().variables.unwrap()["A"], "1");
    }

    #[test]
    fn function_names_and_arns() {
        assert_eq!(parse_function_name("avg"), ("avg".into(), None));
        assert_eq!(
            parse_function_name("avg:prod"),
            ("avg".into(), Some("prod".into()))
        );
        assert_eq!(
            parse_function_name("arn:aws:lambda:us-east-1:000000000000:function:avg:2"),
            ("avg".into(), Some("2".into()))
        );
        assert_eq!(
            parse_function_name("000000000000:function:avg"),
            ("avg".into(), None)
        );
    }

    #[test]
    fn pagination() {
        let items: Vec<u32> = (0..5).collect();
        assert_eq!(
            paginate(&items, None, 2).unwrap(),
            (vec![0, 1], Some("2".into()))
        );
        assert_eq!(paginate(&items, Some("4"), 2).unwrap(), (vec![4], None));
        assert!(paginate(&items, Some("9"), 2).is_err());
        assert!(paginate(&items, Some("x"), 2).is_err());
        assert_eq!(page_size(Some("3")).unwrap(), 3);
        assert_eq!(page_size(Some("500")).unwrap(), 50);
        assert!(page_size(Some("0")).is_err());
    }
}
