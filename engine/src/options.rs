//! Typed reading of a stage's options (after parameter substitution), with errors that name the
//! stage and option.

use serde_json::{Map, Value};

use crate::error::{EngineError, EngineResult};

#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub stage: &'a str,
    pub values: &'a Map<String, Value>,
}

impl<'a> Options<'a> {
    pub fn new(stage: &'a str, values: &'a Map<String, Value>) -> Self {
        Self { stage, values }
    }

    fn missing(&self, name: &str) -> EngineError {
        EngineError::option(self.stage, name, format!("option {name:?} is required"))
    }

    fn wrong(&self, name: &str, expected: &str) -> EngineError {
        EngineError::option(self.stage, name, format!("option {name:?} must be {expected}"))
    }

    pub fn str(&self, name: &str) -> EngineResult<&'a str> {
        self.opt_str(name)?.ok_or_else(|| self.missing(name))
    }

    pub fn opt_str(&self, name: &str) -> EngineResult<Option<&'a str>> {
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.wrong(name, "a string")),
        }
    }

    pub fn str_or(&self, name: &str, default: &'a str) -> EngineResult<&'a str> {
        Ok(self.opt_str(name)?.unwrap_or(default))
    }

    pub fn bool_or(&self, name: &str, default: bool) -> EngineResult<bool> {
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(self.wrong(name, "true or false")),
        }
    }

    pub fn opt_i64(&self, name: &str) -> EngineResult<Option<i64>> {
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| self.wrong(name, "a whole number")),
        }
    }

    pub fn f64_or(&self, name: &str, default: f64) -> EngineResult<f64> {
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => v.as_f64().ok_or_else(|| self.wrong(name, "a number")),
        }
    }

    /// A list of field names (empty when absent).
    pub fn fields(&self, name: &str) -> EngineResult<Vec<String>> {
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(vec![]),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str().map(str::to_owned).ok_or_else(|| self.wrong(name, "a list of field names"))
                })
                .collect(),
            Some(_) => Err(self.wrong(name, "a list of field names")),
        }
    }

    /// A list of objects, each read with the same stage name (empty when absent).
    pub fn list(&self, name: &str) -> EngineResult<Vec<Options<'a>>> {
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(vec![]),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_object()
                        .map(|o| Options::new(self.stage, o))
                        .ok_or_else(|| self.wrong(name, "a list of objects"))
                })
                .collect(),
            Some(_) => Err(self.wrong(name, "a list of objects")),
        }
    }

    /// An object of strings (empty when absent), in document order.
    pub fn map(&self, name: &str) -> EngineResult<Vec<(String, String)>> {
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(vec![]),
            Some(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| {
                    v.as_str()
                        .map(|s| (k.clone(), s.to_owned()))
                        .ok_or_else(|| self.wrong(name, "an object of strings"))
                })
                .collect(),
            Some(_) => Err(self.wrong(name, "an object of strings")),
        }
    }
}
