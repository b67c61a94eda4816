//! The dataflow designer's model without the DOM: plain data and functions over a
//! [`model::DataflowDocument`] that the SVG canvas draws and drives, unit-tested on the host.
//!
//! A canvas built on it keeps one [`Designer`] (document, selection, undo history), rebuilds a
//! [`Scene`] from `designer.document()` after each change to draw boxes, ports and edge curves,
//! converts pointer positions with a [`Viewport`], asks [`hit`] what lies under the pointer, and
//! turns gestures into `Designer` edits, each of which either succeeds as one undo step or
//! returns an [`EditError`] to show and changes nothing.
//!
//! # Layout
//! - [`geometry`]: points, rectangles, box sizes, port anchor positions, edge curves and their
//!   SVG path, and the pan/zoom [`Viewport`] (screen ↔ world, zoom about a point, fit to view).
//! - [`ports`]: which ports a stage shows (route outputs from its `routes` option), and how a
//!   `"stage"` / `"stage.port"` edge end resolves to one.
//! - [`scene`]: the document laid out in world space: stage boxes with port anchors, edge shapes.
//! - [`hit`]: hit-testing: stage, port or edge under a point; stages inside a rubber band.
//! - [`graph`]: [`Designer`] and [`Selection`]: add, delete, connect, move, set options, rename,
//!   paste, auto-layout, select; undo and redo.
//! - [`connect`]: the rules an edge must follow (direction, one edge per input but `union.in`,
//!   no duplicates, no self-loops, no cycles), and which input a drop on a box reaches.
//! - [`gesture`]: pointer gestures as a state machine: pan, rubber band, move, connect, click.
//! - [`history`]: the undo/redo snapshot stack, with a depth cap and coalescing of gestures.
//! - [`clipboard`]: copy stages and the edges among them as JSON; paste under fresh ids.
//! - [`layout`]: layered left-to-right auto-layout with crossing reduction.
//! - [`diff`](mod@diff): what changed between two versions of a document; [`diff_text`] says it
//!   in one line per difference.
//! - [`problems`]: the model's validator output grouped by stage for markers and the panel,
//!   merged with what only a node's validation finds.
//! - [`schema`]: the server's `stage.port` keys for edges and inputs, for previews and field pickers.
//! - [`palette`]: the stage types that fit the dataflow's kind, searched and grouped.
//! - [`values`]: option and parameter values as property forms read and write them.
//! - [`run_view`]: a polled run drawn over the canvas: rows per edge, state per stage.
//! - [`transfer`]: export to and import from a JSON file, with the import's checks.
//! - [`ids`]: the stage id rule and fresh ids (`filter`, `filter_2`, …).
//! - [`error`]: [`EditError`], why an edit was refused.

pub mod clipboard;
pub mod connect;
pub mod diff;
pub mod diff_text;
pub mod error;
pub mod geometry;
pub mod gesture;
pub mod graph;
pub mod history;
pub mod hit;
pub mod ids;
pub mod layout;
pub mod palette;
pub mod ports;
pub mod problems;
pub mod run_view;
pub mod scene;
pub mod schema;
pub mod transfer;
pub mod values;

pub use diff::{DocumentDiff, diff};
pub use error::EditError;
pub use geometry::{Point, Rect, Viewport};
pub use graph::{Designer, Selection};
pub use history::History;
pub use ports::PortDirection;
pub use problems::Problems;
pub use scene::Scene;
