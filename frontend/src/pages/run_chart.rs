//! The run-duration chart on `/runs` while one dataflow's runs are listed: each finished run as a
//! point at its start time and duration, coloured by status. The geometry is
//! [`crate::charts::duration_chart`]; this only draws it.
//!
//! Element ids: `run-duration-chart` (the figure), `run-duration-chart-svg` (points are links
//! carrying `data-run` and `data-status`), `run-duration-chart-summary`, `run-duration-legend`,
//! `run-duration-chart-empty`.

use leptos::prelude::*;
use model::{Run, RunStatus};

use crate::charts::size::{DURATION_HEIGHT, DURATION_WIDTH};
use crate::charts::{ChartPoint, DurationChart, duration_chart, duration_samples};
use crate::components::StatusLegend;
use crate::format::{describe_duration, local_time, short_id};
use crate::route::Route;
use crate::time_zone::viewer_offset_ms;

#[component]
pub fn RunDurationChart(
    #[prop(into)] runs: Signal<Vec<Run>>,
    #[prop(into)] dataflow: Signal<String>,
) -> impl IntoView {
    let offset = viewer_offset_ms();
    let drawn = Memo::new(move |_| {
        runs.with(|runs| {
            let samples = duration_samples(runs);
            (duration_chart(&samples, offset), runs.len() - samples.len())
        })
    });
    let statuses = Signal::derive(move || {
        drawn.with(|(chart, _)| chart.iter().flat_map(|c| c.points.iter().map(|p| p.sample.status)).collect())
    });
    let body = move || {
        let (chart, unfinished) = drawn.get();
        match chart {
            None => view! {
                <p class="muted" id="run-duration-chart-empty">"No finished run listed yet: durations show once runs end."</p>
            }
            .into_any(),
            Some(chart) => {
                let summary = summary(&chart, unfinished);
                view! {
                    <DurationSvg chart />
                    <p class="muted hint" id="run-duration-chart-summary">{summary}</p>
                }
                .into_any()
            }
        }
    };
    view! {
        <figure class="chart" id="run-duration-chart">
            <figcaption id="run-duration-chart-caption">
                "How long each listed run of " <strong>{dataflow}</strong> " took, by start time"
            </figcaption>
            {body}
            <StatusLegend statuses id="run-duration-legend" />
        </figure>
    }
}

fn summary(chart: &DurationChart, unfinished: usize) -> String {
    let longest = chart.points.iter().map(|p| p.sample.seconds).fold(0.0, f64::max);
    let mut text = format!(
        "{} finished runs; the longest took {}.",
        chart.points.len(),
        describe_duration(longest * 1000.0)
    );
    if unfinished > 0 {
        text.push_str(&format!(" {unfinished} listed runs have not finished and are not shown."));
    }
    text
}

#[component]
fn DurationSvg(chart: DurationChart) -> impl IntoView {
    let plot = chart.plot;
    let y_ticks = chart.y_ticks.into_iter().map(|tick| {
        view! {
            <line class="grid" x1=plot.left x2=plot.right y1=tick.at y2=tick.at></line>
            <text x=plot.left - 6.0 y=tick.at dy="0.32em" text-anchor="end">{tick.label}</text>
        }
    });
    let x_ticks = chart.x_ticks.into_iter().map(|tick| {
        view! {
            <line class="axis" x1=tick.at x2=tick.at y1=plot.bottom y2=plot.bottom + 4.0></line>
            <text x=tick.at y=plot.bottom + 18.0 text-anchor="middle">{tick.label}</text>
        }
    });
    let points = chart.points.into_iter().map(|point| view! { <Point point /> });
    view! {
        <svg
            id="run-duration-chart-svg"
            viewBox=format!("0 0 {DURATION_WIDTH} {DURATION_HEIGHT}")
            role="img"
            aria-labelledby="run-duration-chart-caption run-duration-chart-summary"
        >
            <g>{y_ticks.collect_view()}</g>
            <line class="axis" x1=plot.left x2=plot.right y1=plot.bottom y2=plot.bottom></line>
            <g>{x_ticks.collect_view()}</g>
            <polyline class="chart-line" points=chart.line></polyline>
            <g>{points.collect_view()}</g>
        </svg>
    }
}

/// A point links to its run; it is left out of the tab order because the table below lists the
/// same runs with their links for keyboard users.
#[component]
fn Point(point: ChartPoint) -> impl IntoView {
    let sample = point.sample;
    let status: RunStatus = sample.status;
    let title = format!(
        "Run {}: {}, {}, started {}",
        short_id(&sample.run_id),
        describe_duration(sample.seconds * 1000.0),
        status.as_str(),
        local_time(&sample.started_at)
    );
    let href = Route::Run(sample.run_id.clone()).path();
    // The `g` makes the macro build an SVG link, not an HTML one.
    view! {
        <g>
            <a href=href tabindex="-1" data-run=sample.run_id data-status=status.as_str()>
                <circle class=format!("chart-point status-{}", status.as_str()) cx=point.x cy=point.y r="4">
                    <title>{title}</title>
                </circle>
            </a>
        </g>
    }
}
