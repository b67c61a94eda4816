//! Pieces several pages share: the frame around every signed-in page, error alerts, times, run
//! statuses, the status key of charts.

mod error_alert;
mod run_status;
mod shell;
mod status_legend;
mod timestamp;

pub use error_alert::ErrorAlert;
pub use run_status::RunStatusBadge;
pub use shell::Shell;
pub use status_legend::StatusLegend;
pub use timestamp::{Timestamp, optional_time};
