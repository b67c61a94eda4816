//! The status summary on the landing page: runs created in each of the last 24 hours of the
//! viewer's clock, stacked by status, read again every minute. The counting and the geometry are
//! [`crate::charts::runs_by_hour`] and [`crate::charts::hourly_chart`]; this only draws them.
//!
//! Element ids: `runs-by-hour` (the section), `runs-by-hour-chart` (bars carry `data-hour`, the
//! hour's start in UTC, and `data-total`), `runs-by-hour-summary`, `runs-by-hour-legend`,
//! `runs-by-hour-empty`, `runs-by-hour-error`.

use std::time::Duration;

use leptos::prelude::*;
use model::{Run, RunStatus};
use web_sys::js_sys::Date;

use crate::api;
use crate::charts::size::{HOURLY_HEIGHT, HOURLY_WIDTH};
use crate::charts::{Bar, HourlyChart, Plot, first_hour, hourly_chart, runs_by_hour};
use crate::components::{ErrorAlert, StatusLegend};
use crate::hooks::use_interval;
use crate::instant::utc_text;
use crate::time_zone::viewer_offset_ms;
use crate::wall_clock::WallClock;

const HOURS: usize = 24;
/// Enough for a busy day at a glance without reading the whole history.
const MOST_RUNS: usize = 1000;
/// A summary, not a live view: once a minute is plenty.
const REFRESH_EVERY: Duration = Duration::from_secs(60);
/// Hours of the viewer's clock that get a label under the bars.
const LABEL_EVERY: i64 = 3;

/// The runs of the hours shown, with where those hours start.
#[derive(Debug, Clone)]
struct Recent {
    start: i64,
    runs: Vec<Run>,
}

#[component]
pub fn RunsByHour() -> impl IntoView {
    let offset = viewer_offset_ms();
    let recent = LocalResource::new(move || async move {
        let start = first_hour(Date::now() as i64, offset, HOURS);
        api::list_runs_since(&utc_text(start), MOST_RUNS).await.map(|runs| Recent { start, runs })
    });
    use_interval(REFRESH_EVERY, move || recent.refetch());
    let error = Signal::derive(move || recent.get().and_then(Result::err));
    let body = move || {
        let Recent { start, runs } = recent.get().and_then(Result::ok)?;
        let buckets = runs_by_hour(&runs, start, HOURS);
        let total: u32 = buckets.iter().map(|bucket| bucket.total()).sum();
        if total == 0 {
            return Some(
                view! { <p class="empty" id="runs-by-hour-empty">"No runs in the last 24 hours."</p> }
                    .into_any(),
            );
        }
        let mut by_status = [0_u32; 5];
        for bucket in &buckets {
            by_status.iter_mut().zip(bucket.counts).for_each(|(sum, count)| *sum += count);
        }
        let statuses: Vec<RunStatus> =
            RunStatus::ALL.into_iter().zip(by_status).filter(|(_, n)| *n > 0).map(|(s, _)| s).collect();
        let summary = summary(total, &by_status, runs.len() >= MOST_RUNS);
        let chart = hourly_chart(&buckets, offset, LABEL_EVERY);
        Some(
            view! {
                <HourlySvg chart offset />
                <p class="muted hint" id="runs-by-hour-summary">{summary}</p>
                <StatusLegend statuses id="runs-by-hour-legend" />
            }
            .into_any(),
        )
    };
    view! {
        <section class="panel chart" id="runs-by-hour" aria-labelledby="runs-by-hour-heading">
            <div class="toolbar">
                <h2 id="runs-by-hour-heading">"Runs per hour, last 24 hours"</h2>
                <a href="/runs">"All runs"</a>
            </div>
            <ErrorAlert error id="runs-by-hour-error" />
            <Show when=move || recent.with(Option::is_none)>
                <p class="muted" aria-live="polite">"Loading recent runs…"</p>
            </Show>
            {body}
        </section>
    }
}

/// `42 runs: 38 succeeded, 4 failed.`, and a note when the count stopped at [`MOST_RUNS`].
fn summary(total: u32, by_status: &[u32; 5], capped: bool) -> String {
    let parts: Vec<String> = RunStatus::ALL
        .into_iter()
        .zip(by_status)
        .filter(|(_, count)| **count > 0)
        .map(|(status, count)| format!("{count} {}", status.as_str()))
        .collect();
    let mut text = format!("{total} runs: {}.", parts.join(", "));
    if capped {
        text.push_str(&format!(" Only the newest {MOST_RUNS} are counted."));
    }
    text
}

#[component]
fn HourlySvg(chart: HourlyChart, offset: i64) -> impl IntoView {
    let plot = chart.plot;
    let y_ticks = chart.y_ticks.into_iter().map(|tick| {
        view! {
            <line class="grid" x1=plot.left x2=plot.right y1=tick.at y2=tick.at></line>
            <text x=plot.left - 6.0 y=tick.at dy="0.32em" text-anchor="end">{tick.label}</text>
        }
    });
    let x_ticks = chart.x_ticks.into_iter().map(|tick| {
        view! { <text x=tick.at y=plot.bottom + 16.0 text-anchor="start">{tick.label}</text> }
    });
    let bars = chart.bars.into_iter().map(|bar| view! { <HourBar bar plot offset /> });
    view! {
        <svg
            id="runs-by-hour-chart"
            viewBox=format!("0 0 {HOURLY_WIDTH} {HOURLY_HEIGHT}")
            role="img"
            aria-labelledby="runs-by-hour-heading runs-by-hour-summary"
        >
            <g>{y_ticks.collect_view()}</g>
            <line class="axis" x1=plot.left x2=plot.right y1=plot.bottom y2=plot.bottom></line>
            <g>{bars.collect_view()}</g>
            <g>{x_ticks.collect_view()}</g>
        </svg>
    }
}

/// `offset` is the viewer's, in milliseconds ahead of UTC: the tooltip names the hour on their clock.
#[component]
fn HourBar(bar: Bar, plot: Plot, offset: i64) -> impl IntoView {
    let [_, _, _, from, ..] = WallClock::from_epoch_seconds((bar.start + offset).div_euclid(1000)).fields();
    let counts: Vec<String> =
        bar.segments.iter().map(|s| format!("{} {}", s.count, s.status.as_str())).collect();
    let what = if counts.is_empty() { "no runs".to_owned() } else { counts.join(", ") };
    let title = format!("{from:02}:00–{:02}:00: {what}", (from + 1) % 24);
    let rects = bar.segments.into_iter().map(|segment| {
        view! {
            <rect
                class=format!("status-{}", segment.status.as_str())
                x=bar.x
                y=segment.y
                width=bar.width
                height=segment.height
            ></rect>
        }
    });
    // A transparent rectangle over the whole hour carries the tooltip, even for empty hours.
    view! {
        <g data-hour=utc_text(bar.start) data-total=bar.total>
            {rects.collect_view()}
            <rect class="hit" x=bar.x y=plot.top width=bar.width height=plot.bottom - plot.top>
                <title>{title}</title>
            </rect>
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_each_status_seen() {
        assert_eq!(summary(5, &[0, 1, 3, 1, 0], false), "5 runs: 1 running, 3 succeeded, 1 failed.");
        assert!(summary(1000, &[0, 0, 1000, 0, 0], true).ends_with("Only the newest 1000 are counted."));
    }
}
