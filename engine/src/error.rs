//! Engine errors say who is at fault and whether trying again can help; the scheduler decides
//! between retry and failure from that, and users see which stage to fix.

use serde::{Deserialize, Serialize};

/// Who has to act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// The dataflow or its input: fix the stage named in the error.
    User,
    /// A file system or database outside the engine; may pass on its own.
    External,
    /// A defect of the engine itself.
    Engine,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}{message}", stage.as_deref().map(|s| format!("stage {s:?}: ")).unwrap_or_default())]
pub struct EngineError {
    pub fault: Fault,
    pub retryable: bool,
    /// The stage the problem belongs to, when there is one.
    pub stage: Option<String>,
    /// The option, within the stage, when there is one (e.g. `options.predicate`).
    pub path: Option<String>,
    pub message: String,
}

pub type EngineResult<T> = Result<T, EngineError>;

impl EngineError {
    pub fn user(stage: &str, message: impl Into<String>) -> Self {
        Self {
            fault: Fault::User,
            retryable: false,
            stage: Some(stage.into()),
            path: None,
            message: message.into(),
        }
    }

    pub fn option(stage: &str, option: &str, message: impl Into<String>) -> Self {
        Self { path: Some(format!("options.{option}")), ..Self::user(stage, message) }
    }

    pub fn external(stage: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            fault: Fault::External,
            retryable: true,
            stage: stage.map(Into::into),
            path: None,
            message: message.into(),
        }
    }

    pub fn engine(message: impl Into<String>) -> Self {
        Self { fault: Fault::Engine, retryable: false, stage: None, path: None, message: message.into() }
    }

    pub fn cancelled() -> Self {
        Self {
            fault: Fault::User,
            retryable: false,
            stage: None,
            path: None,
            message: "the run was cancelled".into(),
        }
    }

    pub fn in_stage(mut self, stage: &str) -> Self {
        if self.stage.is_none() {
            self.stage = Some(stage.into());
        }
        self
    }

    /// Classify a DataFusion error raised while working on `stage`.
    pub fn from_datafusion(stage: Option<&str>, err: datafusion::error::DataFusionError) -> Self {
        use datafusion::error::DataFusionError as E;
        let root = err.find_root();
        let (fault, retryable) = match root {
            E::IoError(_) | E::ObjectStore(_) => (Fault::External, true),
            E::ResourcesExhausted(_) => (Fault::External, true),
            E::Internal(_) | E::NotImplemented(_) => (Fault::Engine, false),
            _ => (Fault::User, false),
        };
        let message = clean_message(&root.to_string());
        Self { fault, retryable, stage: stage.map(Into::into), path: None, message }
    }
}

/// DataFusion prefixes messages with its error kind; users need only the sentence.
fn clean_message(message: &str) -> String {
    let mut text = message;
    for prefix in [
        "Error during planning: ",
        "Schema error: ",
        "Arrow error: ",
        "Execution error: ",
        "External error: ",
        "IO error: ",
        "Parser error: ",
        "SQL error: ",
        "Optimizer rule",
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            text = rest;
        }
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_stage() {
        let err = EngineError::option("big", "predicate", "no field named \"amout\"");
        assert_eq!(err.to_string(), "stage \"big\": no field named \"amout\"");
        assert_eq!((err.fault, err.retryable), (Fault::User, false));
        assert_eq!(EngineError::engine("bug").to_string(), "bug");
    }

    #[test]
    fn io_errors_are_external_and_retryable() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let err = EngineError::from_datafusion(Some("out"), datafusion::error::DataFusionError::IoError(io));
        assert_eq!((err.fault, err.retryable), (Fault::External, true));
    }
}
