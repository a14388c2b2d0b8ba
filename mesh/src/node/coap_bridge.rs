//! The function service as the CoAP endpoint sees it: maps
//! [`ServiceError`]s and outcomes to [`InvokeResult`]s. No CoAP here.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::functions::{Functions, InvokeOutcome, ServiceError};
use crate::coap_server::{FunctionService, InvokeResult};

/// Seconds a throttled CoAP client is told to wait (Max-Age).
const RETRY_AFTER_SECS: u32 = 1;

/// The node's [`FunctionService`].
pub struct NodeService {
    functions: Arc<Functions>,
    node_name: String,
}

impl NodeService {
    /// Serve `functions` as node `node_name`.
    pub fn new(functions: Arc<Functions>, node_name: String) -> NodeService {
        NodeService {
            functions,
            node_name,
        }
    }
}

/// Map one invocation's result for CoAP.
pub fn to_invoke_result(result: Result<InvokeOutcome, ServiceError>, node: &str) -> InvokeResult {
    match result {
        Ok(InvokeOutcome::Ok(json)) => InvokeResult::Ok {
            json: json.into_bytes(),
            executed_on: node.to_string(),
        },
        Ok(InvokeOutcome::FunctionError(doc)) => InvokeResult::FunctionError {
            error_json: doc.into_bytes(),
            executed_on: node.to_string(),
        },
        Err(ServiceError::NotFound(_)) => InvokeResult::NotFound,
        Err(ServiceError::RequestTooLarge(_)) => InvokeResult::TooLarge,
        Err(ServiceError::TooManyRequests(_)) => InvokeResult::Overloaded {
            retry_after_secs: RETRY_AFTER_SECS,
        },
        Err(ServiceError::InvalidParameter(m) | ServiceError::Conflict(m)) => {
            InvokeResult::BadRequest(m)
        }
        Err(ServiceError::Internal(m)) => InvokeResult::Internal(m),
    }
}

impl FunctionService for NodeService {
    fn invoke(
        &self,
        function: String,
        qualifier: Option<String>,
        payload: Vec<u8>,
    ) -> Pin<Box<dyn Future<Output = InvokeResult> + Send>> {
        let functions = Arc::clone(&self.functions);
        let node = self.node_name.clone();
        Box::pin(async move {
            let result = functions
                .invoke(&function, qualifier.as_deref(), &payload)
                .await
                .map(|i| i.outcome);
            to_invoke_result(result, &node)
        })
    }

    fn functions(&self) -> Vec<String> {
        self.functions.names()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_errors_to_coap_results() {
        assert_eq!(
            to_invoke_result(Ok(InvokeOutcome::Ok("1".into())), "n"),
            InvokeResult::Ok {
                json: b"1".to_vec(),
                executed_on: "n".into()
            }
        );
        assert_eq!(
            to_invoke_result(Err(ServiceError::NotFound("x".into())), "n"),
            InvokeResult::NotFound
        );
        assert_eq!(
            to_invoke_result(Err(ServiceError::TooManyRequests("x".into())), "n"),
            InvokeResult::Overloaded {
                retry_after_secs: 1
            }
        );
        assert_eq!(
            to_invoke_result(Err(ServiceError::InvalidParameter("bad json".into())), "n"),
            InvokeResult::BadRequest("bad json".into())
        );
    }
}
