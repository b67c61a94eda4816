//! The console's charts without the DOM: scales, ticks, and the geometry of the run-duration
//! chart and of the runs-per-hour bars, unit-tested on the host. Components only draw what these
//! compute.

mod axis;
mod durations;
mod hourly;

pub use axis::Plot;
pub use durations::{ChartPoint, DurationChart, duration_chart, duration_samples};
pub use hourly::{Bar, HourlyChart, first_hour, hourly_chart, runs_by_hour};

/// The chart sizes (`viewBox`), for the components that draw them.
pub mod size {
    pub use super::durations::{HEIGHT as DURATION_HEIGHT, WIDTH as DURATION_WIDTH};
    pub use super::hourly::{HEIGHT as HOURLY_HEIGHT, WIDTH as HOURLY_WIDTH};
}
