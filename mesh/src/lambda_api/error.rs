//! Lambda's error shape on the wire: a JSON body `{"Type": "User",
//! "message": ...}` with the error code in the `x-amzn-ErrorType` header
//! (botocore's rest-json protocol reads the code from there), and the
//! status code AWS uses for that code.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::node::functions::ServiceError;

/// An error answered to a Lambda API client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// AWS error code, e.g. `ResourceNotFoundException`.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
}

impl ApiError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// `InvalidParameterValueException` (400).
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "InvalidParameterValueException",
            message,
        )
    }

    /// `SerializationException` (400): the body is not the JSON expected.
    pub fn serialization(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "SerializationException", message)
    }

    /// `ServiceException` (500).
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "ServiceException",
            message,
        )
    }

    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        let kind = if self.status.is_server_error() {
            "Service"
        } else {
            "User"
        };
        serde_json::json!({"Type": kind, "message": self.message})
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut r = HttpResponse::build(self.status);
        r.insert_header(("x-amzn-ErrorType", self.code));
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            r.insert_header(("Retry-After", "1"));
        }
        r.content_type("application/json")
            .body(self.body().to_string())
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound(m) => {
                ApiError::new(StatusCode::NOT_FOUND, "ResourceNotFoundException", m)
            }
            ServiceError::Conflict(m) => {
                ApiError::new(StatusCode::CONFLICT, "ResourceConflictException", m)
            }
            ServiceError::InvalidParameter(m) => ApiError::invalid(m),
            ServiceError::InvalidRequestContent(m) => {
                ApiError::new(StatusCode::BAD_REQUEST, "InvalidRequestContentException", m)
            }
            ServiceError::RequestTooLarge(m) => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "RequestTooLargeException", m)
            }
            ServiceError::TooManyRequests(m) => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "TooManyRequestsException", m)
            }
            ServiceError::Internal(m) => ApiError::internal(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    #[test]
    fn maps_service_errors_to_aws_codes() {
        let cases = [
            (
                ServiceError::NotFound("x".into()),
                404,
                "ResourceNotFoundException",
            ),
            (
                ServiceError::Conflict("x".into()),
                409,
                "ResourceConflictException",
            ),
            (
                ServiceError::InvalidParameter("x".into()),
                400,
                "InvalidParameterValueException",
            ),
            (
                ServiceError::RequestTooLarge("x".into()),
                413,
                "RequestTooLargeException",
            ),
            (
                ServiceError::TooManyRequests("x".into()),
                429,
                "TooManyRequestsException",
            ),
            (ServiceError::Internal("x".into()), 500, "ServiceException"),
        ];
        for (e, status, code) in cases {
            let a = ApiError::from(e);
            assert_eq!((a.status.as_u16(), a.code), (status, code));
        }
    }

    #[test]
    fn response_carries_header_and_body() {
        let e = ApiError::from(ServiceError::NotFound("Function not found: f".into()));
        let r = e.error_response();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            r.headers().get("x-amzn-ErrorType").unwrap(),
            "ResourceNotFoundException"
        );
        let body = r.into_body().try_into_bytes().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"Type": "User", "message": "Function not found: f"})
        );
    }
}
