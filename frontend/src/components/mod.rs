//! Pieces several pages share: the frame around every signed-in page, error alerts, times, run statuses.

mod error_alert;
mod run_status;
mod shell;
mod timestamp;

pub use error_alert::ErrorAlert;
pub use run_status::RunStatusBadge;
pub use shell::Shell;
pub use timestamp::{Timestamp, optional_time};
