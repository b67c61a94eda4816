//! The stage catalog of DESIGN §4 as data: every stage type with its module, ports and option
//! schema. Nodes serve it at `GET /stages`; the designer renders property forms from it; the
//! option checks in [`check`] use it in the browser and on the nodes alike.

mod check;
mod stages;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

pub use check::check_options;
pub use stages::catalog;

/// One stage type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StageSpec {
    #[serde(rename = "type")]
    pub stage_type: String,
    pub module: String,
    pub title: String,
    /// Palette group: `source`, `transform`, `combine`, `sink`, `quality`, `address`, `flow`.
    pub category: String,
    pub description: String,
    pub inputs: Vec<PortSpecInfo>,
    pub outputs: Vec<PortSpecInfo>,
    /// `route`: one output per configured route, named by its `port` option, plus `default`.
    pub dynamic_outputs: bool,
    pub options: Vec<OptionSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PortSpecInfo {
    pub name: String,
    pub required: bool,
    /// Accepts several incoming edges (`union.in`).
    pub many: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OptionType {
    String,
    Integer,
    Number,
    Boolean,
    /// One of `enum_values`.
    Enum,
    /// A SQL expression over the incoming fields.
    Expression,
    /// A file path under the data directory (globs allowed where the help says so).
    Path,
    /// The name of a field of input port `field_of`.
    Field,
    /// A list of field names of input port `field_of`.
    Fields,
    /// An object of string values (e.g. `rename`: old → new).
    Map,
    /// A list of objects, each described by `items`.
    List,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OptionSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub option_type: OptionType,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    pub help: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<String>,
    /// For `field` / `fields`: the input port whose fields may be chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_of: Option<String>,
    /// For `list`: the options of each item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(no_recursion)]
    pub items: Vec<OptionSpec>,
}

/// The catalog entry of `stage_type`, if it is known.
pub fn stage_spec(stage_type: &str) -> Option<StageSpec> {
    catalog().into_iter().find(|s| s.stage_type == stage_type)
}
