//! Pieces several pages share: the frame around every signed-in page, error alerts, times.

mod error_alert;
mod shell;
mod timestamp;

pub use error_alert::ErrorAlert;
pub use shell::Shell;
pub use timestamp::Timestamp;
