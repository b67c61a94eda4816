//! `EditError`: why the designer refused an edit, worded for the person who tried it.

use std::fmt;

use super::ports::PortDirection;

/// An edit the designer refused; the document is unchanged. `Display` gives a sentence fit to
/// show in the canvas's status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    UnknownStageType(String),
    UnknownStage(String),
    /// The stage has no port of that name on that side.
    NoSuchPort {
        stage: String,
        port: String,
        direction: PortDirection,
    },
    /// The stage has no default port on that side (a bare end on a source's input, say).
    NoDefaultPort {
        stage: String,
        direction: PortDirection,
    },
    /// `from` names an input port or `to` an output port.
    WrongDirection {
        end: String,
        expected: PortDirection,
    },
    SelfLoop(String),
    /// The input port already has its one edge.
    PortTaken {
        stage: String,
        port: String,
    },
    DuplicateEdge {
        from: String,
        to: String,
    },
    /// The edge would close a cycle: `to` already leads to `from`.
    Cycle {
        from: String,
        to: String,
    },
    NoSuchEdge {
        from: String,
        to: String,
    },
    InvalidId(String),
    DuplicateId(String),
    EmptyOptionName,
    NothingSelected,
    /// Pasted text that is not a copy of stages.
    InvalidClipboard(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownStageType(t) => write!(f, "there is no stage type {t:?}"),
            Self::UnknownStage(id) => write!(f, "there is no stage {id:?}"),
            Self::NoSuchPort { stage, port, direction } => {
                write!(f, "stage {stage:?} has no {} port {port:?}", side(*direction))
            }
            Self::NoDefaultPort { stage, direction } => {
                write!(f, "stage {stage:?} has no {} port", side(*direction))
            }
            Self::WrongDirection { end, expected: PortDirection::Output } => {
                write!(f, "an edge leaves from an output port; {end} is an input")
            }
            Self::WrongDirection { end, expected: PortDirection::Input } => {
                write!(f, "an edge arrives at an input port; {end} is an output")
            }
            Self::SelfLoop(id) => write!(f, "stage {id:?} cannot feed itself"),
            Self::PortTaken { stage, port } => {
                write!(f, "input {stage}.{port} already has an edge; only a union's input takes several")
            }
            Self::DuplicateEdge { from, to } => write!(f, "{from} is already connected to {to}"),
            Self::Cycle { from, to } => {
                write!(f, "connecting {from} to {to} would make a cycle: {to} already leads to {from}")
            }
            Self::NoSuchEdge { from, to } => write!(f, "there is no edge from {from} to {to}"),
            Self::InvalidId(reason) => f.write_str(reason),
            Self::DuplicateId(id) => write!(f, "another stage is already called {id:?}"),
            Self::EmptyOptionName => f.write_str("an option needs a name"),
            Self::NothingSelected => f.write_str("nothing is selected"),
            Self::InvalidClipboard(reason) => write!(f, "the clipboard holds no stages to paste: {reason}"),
        }
    }
}

impl std::error::Error for EditError {}

fn side(direction: PortDirection) -> &'static str {
    match direction {
        PortDirection::Input => "input",
        PortDirection::Output => "output",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_was_refused() {
        let taken = EditError::PortTaken { stage: "j".into(), port: "left".into() };
        assert_eq!(taken.to_string(), "input j.left already has an edge; only a union's input takes several");
        let cycle = EditError::Cycle { from: "c".into(), to: "a".into() };
        assert_eq!(cycle.to_string(), "connecting c to a would make a cycle: a already leads to c");
        let wrong = EditError::WrongDirection { end: "f.out".into(), expected: PortDirection::Input };
        assert_eq!(wrong.to_string(), "an edge arrives at an input port; f.out is an output");
        let port =
            EditError::NoSuchPort { stage: "f".into(), port: "x".into(), direction: PortDirection::Output };
        assert_eq!(port.to_string(), "stage \"f\" has no output port \"x\"");
    }
}
