//! The catalog's content: one entry per stage type, built from the port table in
//! `dataflow::ports` and the option schemas below.

use serde_json::{Value, json};

use super::{OptionSpec, OptionType as T, PortSpecInfo, StageSpec};
use crate::dataflow::stage_ports;

fn opt(name: &str, option_type: T, help: &str) -> OptionSpec {
    OptionSpec {
        name: name.into(),
        option_type,
        required: false,
        default: None,
        help: help.into(),
        enum_values: vec![],
        field_of: None,
        items: vec![],
    }
}

fn req(name: &str, option_type: T, help: &str) -> OptionSpec {
    OptionSpec { required: true, ..opt(name, option_type, help) }
}

impl OptionSpec {
    fn default(mut self, value: Value) -> Self {
        self.default = Some(value);
        self
    }

    fn of(mut self, port: &str) -> Self {
        self.field_of = Some(port.into());
        self
    }

    fn values(mut self, values: &[&str]) -> Self {
        self.enum_values = values.iter().map(|v| (*v).into()).collect();
        self
    }

    fn items(mut self, items: Vec<OptionSpec>) -> Self {
        self.items = items;
        self
    }
}

const FIELD_TYPES: &[&str] = &["string", "integer", "number", "boolean", "date", "timestamp"];
const WRITE_MODES: &[&str] = &["overwrite", "append", "error_if_exists"];

fn path(help: &str) -> OptionSpec {
    req("path", T::Path, help)
}

fn write_mode() -> OptionSpec {
    opt("mode", T::Enum, "What to do when the file exists").values(WRITE_MODES).default(json!("overwrite"))
}

fn field_list() -> OptionSpec {
    req("fields", T::List, "Fields of each record").items(vec![
        req("name", T::String, "Field name"),
        req("type", T::Enum, "Field type").values(FIELD_TYPES),
    ])
}

fn options(stage_type: &str) -> Vec<OptionSpec> {
    match stage_type {
        "read_csv" => vec![
            path("CSV file under the data directory; a glob such as in/*.csv reads every match"),
            opt("delimiter", T::String, "One character between fields").default(json!(",")),
            opt("has_header", T::Boolean, "The first line names the fields").default(json!(true)),
            opt("quote", T::String, "Quote character").default(json!("\"")),
            opt("schema", T::Map, "Field types to use instead of inferring them (field → type)"),
        ],
        "read_json" => vec![path("Newline-delimited JSON file under the data directory (globs allowed)")],
        "read_parquet" => vec![path("Parquet file under the data directory (globs allowed)")],
        "read_db" => vec![
            req("connection", T::String, "Name of a database connection (PostgreSQL, MySQL or SQLite)"),
            opt("query", T::String, "SELECT statement to read (give this or table)"),
            opt("table", T::String, "Table to read whole, as table or schema.table (give this or query)"),
        ],
        "input" => vec![field_list()],
        "write_csv" => vec![
            path("CSV file to write under the data directory"),
            opt("delimiter", T::String, "One character between fields").default(json!(",")),
            opt("header", T::Boolean, "Write a header line").default(json!(true)),
            write_mode(),
        ],
        "write_json" => vec![path("Newline-delimited JSON file to write"), write_mode()],
        "write_parquet" => vec![path("Parquet file to write"), write_mode()],
        "write_db" => vec![
            req("connection", T::String, "Name of a database connection"),
            req("table", T::String, "Table to write, as table or schema.table"),
            opt(
                "mode",
                T::Enum,
                "append: add rows; replace: delete the old rows first; create: make a new table",
            )
            .values(&["append", "replace", "create"])
            .default(json!("append")),
        ],
        "filter" => vec![req(
            "predicate",
            T::Expression,
            "Records for which this is true go to out, the others to rejected",
        )],
        "transform" => vec![req("fields", T::List, "Fields to add or replace, in order").items(vec![
            req("name", T::String, "Field name (an existing one is replaced)"),
            req("expression", T::Expression, "Value of the field"),
        ])],
        "select" => vec![
            opt("fields", T::Fields, "Fields to keep, in this order (all when empty)").of("in"),
            opt("rename", T::Map, "New names (old → new)"),
        ],
        "route" => vec![
            req(
                "routes",
                T::List,
                "Each record goes to the first route whose predicate holds, else to default",
            )
            .items(vec![
                req("port", T::String, "Output port name"),
                req("predicate", T::Expression, "Condition for this route"),
            ]),
        ],
        "join" => vec![
            opt("type", T::Enum, "Which records to keep")
                .values(&["inner", "left", "right", "full"])
                .default(json!("inner")),
            req("keys", T::List, "Pairs of fields that must be equal").items(vec![
                req("left", T::Field, "Field of left").of("left"),
                req("right", T::Field, "Field of right").of("right"),
            ]),
        ],
        "lookup" => vec![
            req("keys", T::List, "Pairs of fields that must be equal").items(vec![
                req("in", T::Field, "Field of the records").of("in"),
                req("table", T::Field, "Field of the table").of("table"),
            ]),
            opt("fields", T::Fields, "Fields of the table to add (all but the keys when empty)").of("table"),
        ],
        "aggregate" => vec![
            opt("group_by", T::Fields, "Fields to group by (one group when empty)").of("in"),
            req("aggregates", T::List, "Values computed per group").items(vec![
                req("function", T::Enum, "Aggregate function").values(&[
                    "count",
                    "sum",
                    "avg",
                    "min",
                    "max",
                    "count_distinct",
                    "first",
                    "last",
                    "list",
                ]),
                opt("field", T::Field, "Field to aggregate (count counts records without it)").of("in"),
                req("as", T::String, "Name of the result field"),
            ]),
        ],
        "sort" => vec![req("keys", T::List, "Sort keys, most significant first").items(vec![
            req("field", T::Field, "Field").of("in"),
            opt("descending", T::Boolean, "Largest first").default(json!(false)),
            opt("nulls_first", T::Boolean, "Nulls before values").default(json!(false)),
        ])],
        "distinct" => {
            vec![opt("fields", T::Fields, "Fields that identify a duplicate (all when empty)").of("in")]
        }
        "limit" => vec![
            req("count", T::Integer, "Number of records to keep"),
            opt("offset", T::Integer, "Records to skip first").default(json!(0)),
        ],
        "unique_id" => vec![
            opt("field", T::String, "Name of the new field").default(json!("id")),
            opt("kind", T::Enum, "Sequence numbers or UUIDs")
                .values(&["sequence", "uuid"])
                .default(json!("sequence")),
            opt("start", T::Integer, "First sequence number").default(json!(1)),
        ],
        "split" => vec![req("field", T::Field, "List field: one record per element").of("in")],
        "validate" => vec![req("rules", T::List, "Rules every valid record meets").items(vec![
            req("name", T::String, "Rule name, reported in _errors"),
            req("predicate", T::Expression, "Condition a valid record meets"),
        ])],
        "run_job" => vec![
            req("dataflow", T::String, "Name of the job to run (its exposed version)"),
            opt("parameters", T::Map, "Parameter values for the job; ${name} takes the process's own"),
        ],
        "subflow" => vec![
            req("dataflow", T::String, "Name of the subflow to embed"),
            opt("version", T::Integer, "Version to use (the exposed one when empty)"),
        ],
        "standardize" => vec![req("fields", T::List, "Clean-up applied to each field").items(vec![
                req("field", T::Field, "Field to clean").of("in"),
                opt("trim", T::Boolean, "Remove leading and trailing spaces").default(json!(true)),
                opt("case", T::Enum, "Change letter case")
                    .values(&["keep", "upper", "lower", "title"])
                    .default(json!("keep")),
                opt("collapse_whitespace", T::Boolean, "Turn runs of spaces into one").default(json!(true)),
                opt("strip_punctuation", T::Boolean, "Remove punctuation").default(json!(false)),
                opt("pattern", T::String, "Regular expression to replace"),
                opt("replacement", T::String, "Replacement for pattern").default(json!("")),
            ])],
        "match" => vec![
            req(
                "blocking_key",
                T::Expression,
                "Only records with the same key are compared (e.g. upper(substr(name, 1, 3)))",
            ),
            req("fields", T::List, "Fields compared and how").items(vec![
                req("field", T::Field, "Field").of("in"),
                opt("similarity", T::Enum, "Similarity measure")
                    .values(&["jaro_winkler", "levenshtein"])
                    .default(json!("jaro_winkler")),
                opt("weight", T::Number, "Weight in the score").default(json!(1.0)),
            ]),
            opt("threshold", T::Number, "Score from which two records match (0–1)").default(json!(0.9)),
        ],
        "parse_address" => vec![
            req("field", T::Field, "One-line postal address").of("in"),
            opt("prefix", T::String, "Prefix of the added fields").default(json!("")),
        ],
        _ => vec![],
    }
}

fn describe(stage_type: &str) -> (&'static str, &'static str, &'static str) {
    match stage_type {
        "read_csv" => ("Read CSV", "source", "Reads records from CSV files"),
        "read_json" => ("Read JSON", "source", "Reads newline-delimited JSON files"),
        "read_parquet" => ("Read Parquet", "source", "Reads Parquet files"),
        "read_db" => ("Read database", "source", "Reads the result of a query on a connection"),
        "input" => ("Input", "flow", "Records given to a service or subflow"),
        "write_csv" => ("Write CSV", "sink", "Writes records to a CSV file"),
        "write_json" => ("Write JSON", "sink", "Writes newline-delimited JSON"),
        "write_parquet" => ("Write Parquet", "sink", "Writes a Parquet file"),
        "write_db" => ("Write database", "sink", "Writes records to a table"),
        "output" => ("Output", "flow", "Records a service or subflow returns"),
        "filter" => ("Filter", "transform", "Splits records by a condition"),
        "transform" => ("Transform", "transform", "Adds or replaces fields computed by expressions"),
        "select" => ("Select", "transform", "Keeps, orders and renames fields"),
        "route" => ("Route", "transform", "Sends each record to the first matching route"),
        "union" => ("Union", "combine", "Appends records of several inputs, fields aligned by name"),
        "join" => ("Join", "combine", "Joins two inputs on key fields"),
        "lookup" => ("Lookup", "combine", "Adds fields from a reference table"),
        "aggregate" => ("Aggregate", "transform", "Groups records and computes totals"),
        "sort" => ("Sort", "transform", "Orders records"),
        "distinct" => ("Distinct", "transform", "Keeps the first of each set of duplicates"),
        "limit" => ("Limit", "transform", "Keeps a number of records"),
        "unique_id" => ("Unique id", "transform", "Numbers records or gives them UUIDs"),
        "split" => ("Split", "transform", "One record per element of a list field"),
        "validate" => ("Validate", "transform", "Checks rules; invalid records carry _errors"),
        "subflow" => ("Subflow", "flow", "Embeds a reusable dataflow"),
        "run_job" => (
            "Run job",
            "process",
            "A process step: runs a job, then follows its success, failure or always edges",
        ),
        "standardize" => ("Standardize", "quality", "Cleans up text fields"),
        "match" => ("Match", "quality", "Finds likely duplicates by fuzzy comparison"),
        "parse_address" => ("Parse address", "address", "Splits a one-line postal address into parts"),
        _ => ("", "", ""),
    }
}

/// Every stage type, in palette order.
pub const STAGE_TYPES: &[&str] = &[
    "read_csv",
    "read_json",
    "read_parquet",
    "read_db",
    "input",
    "filter",
    "transform",
    "select",
    "route",
    "aggregate",
    "sort",
    "distinct",
    "limit",
    "unique_id",
    "split",
    "validate",
    "union",
    "join",
    "lookup",
    "subflow",
    "write_csv",
    "write_json",
    "write_parquet",
    "write_db",
    "output",
    "standardize",
    "match",
    "parse_address",
    "run_job",
];

pub fn catalog() -> Vec<StageSpec> {
    STAGE_TYPES
        .iter()
        .filter_map(|stage_type| {
            let ports = stage_ports(stage_type)?;
            let (title, category, description) = describe(stage_type);
            let port = |p: &crate::dataflow::PortSpec| PortSpecInfo {
                name: p.name.into(),
                required: p.required,
                many: p.many,
            };
            Some(StageSpec {
                stage_type: (*stage_type).into(),
                module: ports.module.into(),
                title: title.into(),
                category: category.into(),
                description: description.into(),
                inputs: ports.inputs.iter().map(port).collect(),
                outputs: ports.outputs.iter().map(port).collect(),
                dynamic_outputs: ports.dynamic_outputs,
                options: options(stage_type),
            })
        })
        .collect()
}
