//! Runs per hour by status: runs counted into the hours of the viewer's clock by creation time,
//! and the geometry of the stacked bars that show them.

use model::{Run, RunStatus};

use super::axis::{Plot, Scale, Tick, time_label, value_ticks};
use crate::instant::{HOUR_MS, parse_millis};

/// The chart's own units (its `viewBox`).
pub const WIDTH: f64 = 800.0;
pub const HEIGHT: f64 = 160.0;
const PLOT: Plot = Plot { left: 36.0, top: 8.0, right: WIDTH - 8.0, bottom: HEIGHT - 24.0 };
/// Room between bars, as a share of an hour's width.
const GAP: f64 = 0.2;

/// The runs created in one hour, by status in [`RunStatus::ALL`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourBucket {
    /// Milliseconds since the epoch.
    pub start: i64,
    pub counts: [u32; 5],
}

impl HourBucket {
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }
}

/// Where the first of `hours` buckets starts so that the last holds `now`: the start of the
/// viewer's hour, `offset_ms` ahead of UTC, `hours - 1` hours back.
pub fn first_hour(now: i64, offset_ms: i64, hours: usize) -> i64 {
    let this_hour = (now + offset_ms).div_euclid(HOUR_MS) * HOUR_MS - offset_ms;
    this_hour - (hours.saturating_sub(1) as i64) * HOUR_MS
}

/// Counts `runs` into `hours` buckets from `start`; runs outside them are left out.
pub fn runs_by_hour(runs: &[Run], start: i64, hours: usize) -> Vec<HourBucket> {
    let mut buckets: Vec<HourBucket> =
        (0..hours).map(|i| HourBucket { start: start + i as i64 * HOUR_MS, counts: [0; 5] }).collect();
    for run in runs {
        let Some(created) = parse_millis(&run.created_at) else { continue };
        let index = usize::try_from((created - start).div_euclid(HOUR_MS)).ok();
        let status = RunStatus::ALL.iter().position(|s| *s == run.status);
        if let (Some(bucket), Some(status)) = (index.and_then(|i| buckets.get_mut(i)), status) {
            bucket.counts[status] += 1;
        }
    }
    buckets
}

/// One status's share of a bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub status: RunStatus,
    pub count: u32,
    pub y: f64,
    pub height: f64,
}

/// One hour's bar: its segments stacked from the bottom in [`RunStatus::ALL`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub start: i64,
    pub x: f64,
    pub width: f64,
    pub total: u32,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HourlyChart {
    pub plot: Plot,
    pub bars: Vec<Bar>,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
}

/// The bars of `buckets`, hours labelled every `label_every` hours of the viewer's clock.
pub fn hourly_chart(buckets: &[HourBucket], offset_ms: i64, label_every: i64) -> HourlyChart {
    let slot = (PLOT.right - PLOT.left) / buckets.len().max(1) as f64;
    let highest = buckets.iter().map(HourBucket::total).max().unwrap_or(0);
    let marks = value_ticks(f64::from(highest), 3, 1.0);
    let top = marks.last().copied().unwrap_or(1.0);
    let y = Scale::new((0.0, top), (PLOT.bottom, PLOT.top));
    let bars = buckets
        .iter()
        .enumerate()
        .map(|(i, bucket)| {
            let mut below = 0_u32;
            let segments = RunStatus::ALL
                .into_iter()
                .zip(bucket.counts)
                .filter(|(_, count)| *count > 0)
                .map(|(status, count)| {
                    let (bottom, upper) = (y.map(f64::from(below)), y.map(f64::from(below + count)));
                    below += count;
                    Segment { status, count, y: upper, height: bottom - upper }
                })
                .collect();
            let x = PLOT.left + i as f64 * slot + slot * GAP / 2.0;
            Bar { start: bucket.start, x, width: slot * (1.0 - GAP), total: bucket.total(), segments }
        })
        .collect();
    let x_ticks = buckets
        .iter()
        .enumerate()
        .filter(|(_, bucket)| {
            (bucket.start + offset_ms).div_euclid(HOUR_MS).rem_euclid(label_every.max(1)) == 0
        })
        .map(|(i, bucket)| Tick {
            at: PLOT.left + i as f64 * slot,
            label: time_label(bucket.start, offset_ms, HOUR_MS),
        })
        .collect();
    let y_ticks =
        marks.into_iter().map(|value| Tick { at: y.map(value), label: format!("{value}") }).collect();
    HourlyChart { plot: PLOT, bars, x_ticks, y_ticks }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(created_at: &str, status: RunStatus) -> Run {
        let json = serde_json::json!({
            "id": created_at, "dataflow": "orders", "version": 1, "status": status, "trigger": "schedule",
            "schedule_id": null, "fire_time": null, "parameters": {}, "node": null, "attempt": 1,
            "created_by": "admin", "created_at": created_at, "started_at": null, "finished_at": null,
            "metrics": [], "error": null
        });
        serde_json::from_value(json).unwrap()
    }

    fn at(text: &str) -> i64 {
        parse_millis(text).unwrap()
    }

    #[test]
    fn the_last_bucket_is_the_viewers_current_hour() {
        let now = at("2026-06-01T14:20:00Z");
        assert_eq!(first_hour(now, 0, 24), at("2026-05-31T15:00:00Z"));
        // Half an hour ahead of UTC (India is 5:30): hours start at :30 in UTC.
        assert_eq!(first_hour(now, 5 * HOUR_MS + HOUR_MS / 2, 1), at("2026-06-01T13:30:00Z"));
    }

    #[test]
    fn runs_are_counted_by_hour_and_status() {
        let start = at("2026-06-01T12:00:00Z");
        let runs = [
            run("2026-06-01T12:00:00Z", RunStatus::Succeeded),
            run("2026-06-01T12:59:59Z", RunStatus::Failed),
            run("2026-06-01T12:30:00Z", RunStatus::Succeeded),
            run("2026-06-01T14:10:00Z", RunStatus::Running),
            run("2026-06-01T11:59:59Z", RunStatus::Succeeded),
            run("2026-06-01T15:00:00Z", RunStatus::Queued),
        ];
        let buckets = runs_by_hour(&runs, start, 3);
        let counts: Vec<[u32; 5]> = buckets.iter().map(|b| b.counts).collect();
        assert_eq!(counts, [[0, 0, 2, 1, 0], [0; 5], [0, 1, 0, 0, 0]]);
        assert_eq!(buckets[2].start, at("2026-06-01T14:00:00Z"));
    }

    #[test]
    fn bars_stack_their_statuses_up_to_the_highest_hour() {
        let buckets = [
            HourBucket { start: at("2026-06-01T00:00:00Z"), counts: [0, 0, 3, 1, 0] },
            HourBucket { start: at("2026-06-01T01:00:00Z"), counts: [0; 5] },
        ];
        let chart = hourly_chart(&buckets, 0, 6);
        let bar = &chart.bars[0];
        assert_eq!(bar.total, 4);
        let statuses: Vec<RunStatus> = bar.segments.iter().map(|s| s.status).collect();
        assert_eq!(statuses, [RunStatus::Succeeded, RunStatus::Failed]);
        // Succeeded from the bottom, failed on top, reaching the top of the plot (4 runs).
        assert_eq!(bar.segments[0].y + bar.segments[0].height, PLOT.bottom);
        assert_eq!(bar.segments[1].y, PLOT.top);
        assert_eq!(bar.segments[1].y + bar.segments[1].height, bar.segments[0].y);
        assert!(chart.bars[1].segments.is_empty());
        assert!(bar.x > PLOT.left && bar.x + bar.width < chart.bars[1].x);
        let labels: Vec<&str> = chart.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["1 Jun"]);
        let y_labels: Vec<&str> = chart.y_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(y_labels, ["0", "2", "4"]);
    }
}
