//! The function service as the CoAP endpoint sees it: maps
//! [`ServiceError`]s and outcomes to [`InvokeResult`]s. No CoAP here.

use std::sync::Arc;

use super::functions::{Functions, InvokeOutcome, ServiceError};
use crate::coap_server::{FunctionService, InvokeRequest, InvokeResult, ResultSender};
use crate::mesh_driver::RouteAnswer;
use crate::mesh_driver::port::MeshPort;
use nanolambda_protocol::message::LambdaError;

/// Seconds a throttled CoAP client is told to wait (Max-Age).
const RETRY_AFTER_SECS: u32 = 1;

/// The node's [`FunctionService`]: runs invocations on the executor pool
/// and reports each result from the executor thread that ran it, with no
/// task in between.
pub struct NodeService {
    functions: Arc<Functions>,
    node_name: Arc<str>,
    mesh: Option<Arc<MeshPort>>,
}

impl NodeService {
    /// Serve `functions` as node `node_name`; invocations that need
    /// placement go through `mesh` (see `mesh_driver::port`).
    pub fn new(
        functions: Arc<Functions>,
        node_name: String,
        mesh: Option<Arc<MeshPort>>,
    ) -> NodeService {
        NodeService {
            functions,
            node_name: node_name.into(),
            mesh,
        }
    }
}

/// Map a routed invocation's answer for CoAP: the function's error stays a
/// function error (5.00 with the Lambda document), routing failures keep
/// their CoAP meaning.
pub fn routed_result(answer: Result<RouteAnswer, LambdaError>) -> InvokeResult {
    match answer {
        Ok(RouteAnswer {
            result: Ok(json),
            executed_on,
        }) => InvokeResult::Ok { json, executed_on },
        Ok(RouteAnswer {
            result: Err(e),
            executed_on,
        }) => match e.error_type.as_str() {
            "ResourceNotFoundException" => InvokeResult::NotFound,
            "TooManyRequestsException" => InvokeResult::Overloaded {
                retry_after_secs: RETRY_AFTER_SECS,
            },
            _ => InvokeResult::FunctionError {
                error_json: e.to_json().into_bytes(),
                executed_on,
            },
        },
        Err(e) => match e.error_type.as_str() {
            "ResourceNotFoundException" => InvokeResult::NotFound,
            "RequestTooLargeException" => InvokeResult::TooLarge,
            "InvalidParameterValueException" => {
                InvokeResult::BadRequest(e.error_message.as_str().to_string())
            }
            _ => InvokeResult::Internal(e.error_message.as_str().to_string()),
        },
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
        Err(
            ServiceError::InvalidParameter(m)
            | ServiceError::InvalidRequestContent(m)
            | ServiceError::Conflict(m),
        ) => InvokeResult::BadRequest(m),
        Err(ServiceError::Internal(m)) => InvokeResult::Internal(m),
    }
}

impl FunctionService for NodeService {
    fn invoke(&self, request: InvokeRequest, reply: ResultSender) {
        if let Some(mesh) = &self.mesh
            && mesh.routes(&request.function)
        {
            let mesh = Arc::clone(mesh);
            actix_rt::spawn(async move {
                let answer = mesh
                    .route(
                        &request.function,
                        request.qualifier.as_deref(),
                        request.payload,
                    )
                    .await;
                reply.send(routed_result(answer));
            });
            return;
        }
        let node = Arc::clone(&self.node_name);
        self.functions.invoke_then(
            &request.function,
            request.qualifier.as_deref(),
            request.payload,
            move |result| reply.send(to_invoke_result(result.map(|i| i.outcome), &node)),
        );
    }

    /// Everything but what the mesh forwards, and, for the last receiver
    /// listening, only functions whose recent runs were all quick.
    fn runs_here(&self, request: &InvokeRequest, alone: bool) -> bool {
        let routed = self
            .mesh
            .as_ref()
            .is_some_and(|mesh| mesh.routes(&request.function));
        !routed
            && (!alone
                || self
                    .functions
                    .expected_quick(&request.function, request.qualifier.as_deref()))
    }

    fn invoke_here(&self, request: InvokeRequest, reply: ResultSender) {
        let result = self.functions.invoke_here(
            &request.function,
            request.qualifier.as_deref(),
            request.payload,
        );
        reply.send(to_invoke_result(result.map(|i| i.outcome), &self.node_name));
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
