//! Which ports each stage type of DESIGN §4 has. The full catalog (option schemas) is served by
//! the nodes; the ports live here because structural validation needs them in the browser too.

/// A stage type's ports. The first input and the first output are the defaults an edge end
/// without `.port` refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StagePorts {
    pub module: &'static str,
    pub inputs: &'static [PortSpec],
    pub outputs: &'static [PortSpec],
    /// `route` names its outputs from its options; any output name is accepted.
    pub dynamic_outputs: bool,
    /// `subflow` takes its ports from the embedded dataflow; checked by the engine.
    pub dynamic_ports: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortSpec {
    pub name: &'static str,
    /// An unconnected required input makes the dataflow invalid.
    pub required: bool,
    /// Whether the port accepts more than one incoming edge (`union.in`).
    pub many: bool,
}

const fn port(name: &'static str) -> PortSpec {
    PortSpec { name, required: true, many: false }
}

const fn optional(name: &'static str) -> PortSpec {
    PortSpec { name, required: false, many: false }
}

const NONE: &[PortSpec] = &[];
const IN: &[PortSpec] = &const { [port("in")] };
const OUT: &[PortSpec] = &const { [optional("out")] };

const fn fixed(
    module: &'static str,
    inputs: &'static [PortSpec],
    outputs: &'static [PortSpec],
) -> StagePorts {
    StagePorts { module, inputs, outputs, dynamic_outputs: false, dynamic_ports: false }
}

/// The ports of a known stage type, `None` for an unknown one.
pub fn stage_ports(stage_type: &str) -> Option<StagePorts> {
    let ports = match stage_type {
        "read_csv" | "read_json" | "read_parquet" | "read_db" | "input" => fixed("core", NONE, OUT),
        "write_csv" | "write_json" | "write_parquet" | "write_db" | "output" => fixed("core", IN, NONE),
        "transform" | "select" | "aggregate" | "sort" | "limit" | "unique_id" | "split" => {
            fixed("core", IN, OUT)
        }
        "filter" => fixed("core", IN, &const { [optional("out"), optional("rejected")] }),
        "distinct" => fixed("core", IN, &const { [optional("out"), optional("duplicates")] }),
        "validate" => fixed("core", IN, &const { [optional("valid"), optional("invalid")] }),
        "route" => {
            StagePorts { dynamic_outputs: true, ..fixed("core", IN, &const { [optional("default")] }) }
        }
        "union" => fixed("core", &const { [PortSpec { name: "in", required: true, many: true }] }, OUT),
        "join" => fixed(
            "core",
            &const { [port("left"), port("right")] },
            &const { [optional("out"), optional("unmatched_left"), optional("unmatched_right")] },
        ),
        "lookup" => fixed("core", &const { [port("in"), port("table")] }, OUT),
        "subflow" => StagePorts { dynamic_ports: true, ..fixed("core", NONE, NONE) },
        "standardize" | "match" => fixed("quality", IN, OUT),
        "parse_address" => fixed("address", IN, OUT),
        // A process flow's step: follows any number of steps, continues on its outcome.
        "run_job" => fixed(
            "core",
            &const { [PortSpec { name: "after", required: false, many: true }] },
            &const { [optional("success"), optional("failure"), optional("always")] },
        ),
        _ => return None,
    };
    Some(ports)
}

impl StagePorts {
    pub fn input(&self, name: Option<&str>) -> Option<PortSpec> {
        match name {
            None => self.inputs.first().copied(),
            Some(n) => self.inputs.iter().find(|p| p.name == n).copied(),
        }
    }

    /// Whether an edge may leave from `name` (`None` = the default output).
    pub fn has_output(&self, name: Option<&str>) -> bool {
        match name {
            None => !self.outputs.is_empty() || self.dynamic_outputs,
            Some(n) => self.dynamic_outputs || self.outputs.iter().any(|p| p.name == n),
        }
    }
}
