//! Axes of the console's charts: linear scales, round value ticks, durations in a fitting unit,
//! and time ticks on the viewer's hour and day boundaries.

use crate::instant::{DAY_MS, HOUR_MS, MINUTE_MS};
use crate::wall_clock::WallClock;

/// One labelled mark on an axis, at a pixel position.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// The drawing area inside a chart's margins, in the chart's own units (its `viewBox`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plot {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    from: (f64, f64),
    to: (f64, f64),
}

impl Scale {
    pub fn new(from: (f64, f64), to: (f64, f64)) -> Self {
        Self { from, to }
    }

    /// A domain of one value maps everything to the middle of the range.
    pub fn map(&self, value: f64) -> f64 {
        let (d0, d1) = self.from;
        let (r0, r1) = self.to;
        if d1 == d0 {
            return (r0 + r1) / 2.0;
        }
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// A round step (1, 2 or 5 times a power of ten) that cuts `span` into about `count` parts.
pub fn nice_step(span: f64, count: usize) -> f64 {
    let rough = span / count.max(1) as f64;
    if !rough.is_finite() || rough <= 0.0 {
        return 1.0;
    }
    let power = 10_f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|step| *step >= rough);
    step.unwrap_or(10.0 * power)
}

/// Ticks from 0 up to the first round value at or above `max`, which is also the axis' top.
/// `min_step` keeps counts whole.
pub fn value_ticks(max: f64, count: usize, min_step: f64) -> Vec<f64> {
    let step = nice_step(max.max(min_step), count).max(min_step);
    let steps = (max / step).ceil().max(1.0) as usize;
    (0..=steps).map(|i| i as f64 * step).collect()
}

/// Ticks for durations in seconds, labelled in seconds, minutes or hours as the longest needs.
pub fn duration_ticks(max_seconds: f64, count: usize) -> Vec<(f64, String)> {
    let (unit, suffix) = match max_seconds {
        s if s <= 120.0 => (1.0, "s"),
        s if s <= 7200.0 => (60.0, "min"),
        _ => (3600.0, "h"),
    };
    value_ticks(max_seconds / unit, count, 0.0)
        .into_iter()
        .map(|value| (value * unit, format!("{} {suffix}", short_number(value))))
        .collect()
}

/// `2`, `2.5`, `0.25`: no trailing zeros.
pub fn short_number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Round time steps, the shortest first.
const TIME_STEPS: [i64; 12] = [
    MINUTE_MS,
    5 * MINUTE_MS,
    15 * MINUTE_MS,
    30 * MINUTE_MS,
    HOUR_MS,
    3 * HOUR_MS,
    6 * HOUR_MS,
    12 * HOUR_MS,
    DAY_MS,
    2 * DAY_MS,
    7 * DAY_MS,
    30 * DAY_MS,
];

/// About `count` instants between `start` and `end` (milliseconds) on round boundaries of the
/// viewer's clock, `offset_ms` ahead of UTC, each with its label.
pub fn time_ticks(start: i64, end: i64, offset_ms: i64, count: usize) -> Vec<(i64, String)> {
    let rough = (end - start).max(1) / count.max(1) as i64;
    let step = TIME_STEPS.into_iter().find(|step| *step >= rough).unwrap_or(TIME_STEPS[11]);
    // Steps of days start at the first local midnight, not at multiples of days since 1970.
    let align = step.min(DAY_MS);
    let first = (start + offset_ms + align - 1).div_euclid(align) * align;
    (0..)
        .map(|i| first + i * step - offset_ms)
        .take_while(|at| *at <= end)
        .map(|at| (at, time_label(at, offset_ms, step)))
        .collect()
}

/// `14:00` within a day, `3 Jun` at midnight or for steps of days.
pub fn time_label(at: i64, offset_ms: i64, step: i64) -> String {
    let local = WallClock::from_epoch_seconds((at + offset_ms).div_euclid(1000));
    let [_, month, day, hour, minute, _] = local.fields();
    if step >= DAY_MS || (hour, minute) == (0, 0) {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let name = usize::try_from(month - 1).ok().and_then(|m| months.get(m)).unwrap_or(&"?");
        format!("{day} {name}")
    } else {
        format!("{hour:02}:{minute:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instant::parse_millis;

    #[test]
    fn scales_map_the_domain_onto_the_range() {
        let y = Scale::new((0.0, 100.0), (200.0, 0.0));
        assert_eq!((y.map(0.0), y.map(25.0), y.map(100.0)), (200.0, 150.0, 0.0));
        assert_eq!(Scale::new((5.0, 5.0), (0.0, 10.0)).map(5.0), 5.0);
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(100.0, 5), 20.0);
        assert_eq!(nice_step(7.0, 4), 2.0);
        assert_eq!(nice_step(0.8, 4), 0.2);
        assert_eq!(nice_step(0.0, 4), 1.0);
        assert_eq!(value_ticks(37.0, 4, 1.0), [0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(value_ticks(2.0, 4, 1.0), [0.0, 1.0, 2.0]);
        assert_eq!(value_ticks(0.0, 4, 1.0), [0.0, 1.0]);
    }

    #[test]
    fn durations_are_labelled_in_a_fitting_unit() {
        let labels = |max| duration_ticks(max, 4).into_iter().map(|(_, label)| label).collect::<Vec<_>>();
        assert_eq!(labels(45.0), ["0 s", "20 s", "40 s", "60 s"]);
        assert_eq!(labels(600.0), ["0 min", "5 min", "10 min"]);
        assert_eq!(duration_ticks(600.0, 4)[1].0, 300.0);
        assert_eq!(labels(3.0 * 3600.0), ["0 h", "1 h", "2 h", "3 h"]);
        assert_eq!(short_number(2.50), "2.5");
    }

    #[test]
    fn time_ticks_fall_on_the_viewers_round_hours() {
        let start = parse_millis("2026-06-01T09:10:00Z").unwrap();
        let end = parse_millis("2026-06-01T21:00:00Z").unwrap();
        // Two hours ahead of UTC: local 11:10 to 23:00, every three hours.
        let ticks = time_ticks(start, end, 2 * HOUR_MS, 4);
        let labels: Vec<&str> = ticks.iter().map(|(_, label)| label.as_str()).collect();
        assert_eq!(labels, ["12:00", "15:00", "18:00", "21:00"]);
        assert_eq!(ticks[0].0, parse_millis("2026-06-01T10:00:00Z").unwrap());
    }

    #[test]
    fn midnight_and_long_ranges_are_labelled_with_the_date() {
        let start = parse_millis("2026-05-30T00:00:00Z").unwrap();
        let ticks = time_ticks(start, start + 6 * DAY_MS, 0, 4);
        let labels: Vec<&str> = ticks.iter().map(|(_, label)| label.as_str()).collect();
        assert_eq!(labels, ["30 May", "1 Jun", "3 Jun", "5 Jun"]);
        assert_eq!(time_label(start, 0, HOUR_MS), "30 May");
    }
}
