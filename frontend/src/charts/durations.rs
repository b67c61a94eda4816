//! The geometry of the run-duration chart: one point per finished run, at its start time and
//! its duration (finished − started), with the axes' ticks.

use model::{Run, RunStatus};

use super::axis::{Plot, Scale, Tick, duration_ticks, time_ticks};
use crate::instant::{HOUR_MS, MINUTE_MS, parse_millis};

/// The chart's own units (its `viewBox`); CSS scales it to the width of the page.
pub const WIDTH: f64 = 800.0;
pub const HEIGHT: f64 = 220.0;
const PLOT: Plot = Plot { left: 56.0, top: 12.0, right: WIDTH - 16.0, bottom: HEIGHT - 28.0 };

/// One finished run as the chart reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct DurationSample {
    pub run_id: String,
    pub status: RunStatus,
    /// As the API sent it, for tooltips.
    pub started_at: String,
    /// Milliseconds since the epoch.
    pub started: i64,
    pub seconds: f64,
}

/// The runs that have both a start and an end, oldest first; the others have no duration yet.
pub fn duration_samples(runs: &[Run]) -> Vec<DurationSample> {
    let mut samples: Vec<DurationSample> = runs
        .iter()
        .filter_map(|run| {
            let started_at = run.started_at.clone()?;
            let started = parse_millis(&started_at)?;
            let finished = parse_millis(run.finished_at.as_deref()?)?;
            // Clocks of the nodes differ a little; a run cannot take less than nothing.
            let seconds = (finished - started).max(0) as f64 / 1000.0;
            Some(DurationSample { run_id: run.id.clone(), status: run.status, started_at, started, seconds })
        })
        .collect();
    samples.sort_by_key(|sample| sample.started);
    samples
}

/// A run's point, in chart units.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    pub x: f64,
    pub y: f64,
    pub sample: DurationSample,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DurationChart {
    pub plot: Plot,
    pub points: Vec<ChartPoint>,
    /// SVG `points` of a line through the runs in time order.
    pub line: String,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
}

/// The chart of `samples` (oldest first), times labelled on a clock `offset_ms` ahead of UTC;
/// `None` without samples.
pub fn duration_chart(samples: &[DurationSample], offset_ms: i64) -> Option<DurationChart> {
    let first = samples.iter().map(|s| s.started).min()?;
    let last = samples.iter().map(|s| s.started).max()?;
    // A single run, or runs a few seconds apart, get a window around them so ticks make sense.
    let (start, end) =
        if last - first < 2 * MINUTE_MS { (first - HOUR_MS / 2, last + HOUR_MS / 2) } else { (first, last) };
    let longest = samples.iter().map(|s| s.seconds).fold(0.0, f64::max);
    let y_marks = duration_ticks(longest, 4);
    let top = y_marks.last().map_or(1.0, |(value, _)| value.max(1.0));
    let x = Scale::new((start as f64, end as f64), (PLOT.left, PLOT.right));
    let y = Scale::new((0.0, top), (PLOT.bottom, PLOT.top));
    let points: Vec<ChartPoint> = samples
        .iter()
        .map(|s| ChartPoint { x: x.map(s.started as f64), y: y.map(s.seconds), sample: s.clone() })
        .collect();
    let line = points.iter().map(|p| format!("{:.1},{:.1}", p.x, p.y)).collect::<Vec<_>>().join(" ");
    let x_ticks = time_ticks(start, end, offset_ms, 6)
        .into_iter()
        .map(|(at, label)| Tick { at: x.map(at as f64), label })
        .collect();
    let y_ticks = y_marks.into_iter().map(|(value, label)| Tick { at: y.map(value), label }).collect();
    Some(DurationChart { plot: PLOT, points, line, x_ticks, y_ticks })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use model::RunTrigger;

    use super::*;

    fn run(id: &str, status: RunStatus, started: Option<&str>, finished: Option<&str>) -> Run {
        Run {
            id: id.into(),
            dataflow: "orders".into(),
            version: 1,
            status,
            trigger: RunTrigger::Schedule,
            schedule_id: None,
            fire_time: None,
            parameters: BTreeMap::new(),
            node: None,
            attempt: 1,
            max_attempts: 1,
            parent_run_id: None,
            created_by: "admin".into(),
            created_at: "2026-06-01T00:00:00Z".into(),
            started_at: started.map(str::to_owned),
            finished_at: finished.map(str::to_owned),
            metrics: vec![],
            error: None,
        }
    }

    fn runs() -> Vec<Run> {
        vec![
            // Newest first, as the API lists them.
            run("c", RunStatus::Failed, Some("2026-06-01T12:00:00Z"), Some("2026-06-01T12:01:00Z")),
            run("r", RunStatus::Running, Some("2026-06-01T11:00:00Z"), None),
            run("b", RunStatus::Succeeded, Some("2026-06-01T10:00:00Z"), Some("2026-06-01T10:00:30Z")),
            run("a", RunStatus::Succeeded, Some("2026-06-01T08:00:00Z"), Some("2026-06-01T08:00:15.5Z")),
            run("q", RunStatus::Queued, None, None),
        ]
    }

    #[test]
    fn only_finished_runs_have_a_duration() {
        let samples = duration_samples(&runs());
        let found: Vec<(&str, f64)> = samples.iter().map(|s| (s.run_id.as_str(), s.seconds)).collect();
        assert_eq!(found, [("a", 15.5), ("b", 30.0), ("c", 60.0)]);
    }

    #[test]
    fn points_span_the_plot_from_the_first_run_to_the_last() {
        let chart = duration_chart(&duration_samples(&runs()), 0).unwrap();
        let xs: Vec<f64> = chart.points.iter().map(|p| p.x).collect();
        assert_eq!((xs[0], xs[2]), (PLOT.left, PLOT.right));
        assert_eq!(xs[1], PLOT.left + (PLOT.right - PLOT.left) / 2.0);
        // The longest run (60 s) is at the top tick (60 s), the axis starting at zero.
        assert_eq!(chart.points[2].y, PLOT.top);
        assert_eq!(chart.y_ticks.first().map(|t| (t.at, t.label.as_str())), Some((PLOT.bottom, "0 s")));
        assert_eq!(chart.y_ticks.last().map(|t| t.label.as_str()), Some("60 s"));
        assert_eq!(chart.line.split(' ').count(), 3);
        let hours: Vec<&str> = chart.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(hours, ["08:00", "09:00", "10:00", "11:00", "12:00"]);
    }

    #[test]
    fn a_single_run_sits_in_the_middle_of_an_hour() {
        let one = duration_samples(&runs()[..1]);
        let chart = duration_chart(&one, 0).unwrap();
        assert_eq!(chart.points[0].x, (PLOT.left + PLOT.right) / 2.0);
        assert!(!chart.x_ticks.is_empty());
        assert_eq!(duration_chart(&[], 0), None);
    }
}
