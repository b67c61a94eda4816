//! How values read in the console: times in the viewer's locale and time zone, ages of
//! heartbeats, durations of runs, short run ids, server message fragments as sentences.

use model::{Run, RunStatus};
use wasm_bindgen::JsValue;
use web_sys::js_sys::{Date, Object, Reflect};

/// An RFC 3339 time from the server as local date and time ("1 Jun 2025, 14:34"); text the browser
/// cannot parse is shown as sent rather than hidden.
pub fn local_time(timestamp: &str) -> String {
    locale_string(timestamp, &[("dateStyle", "medium"), ("timeStyle", "short")])
}

/// Only the local time of day, to the second ("14:34:05"): for log lines, read one after another.
pub fn local_clock(timestamp: &str) -> String {
    locale_string(timestamp, &[("timeStyle", "medium")])
}

fn locale_string(timestamp: &str, styles: &[(&str, &str)]) -> String {
    let millis = Date::parse(timestamp);
    if millis.is_nan() {
        return timestamp.to_owned();
    }
    let options = Object::new();
    for (key, value) in styles {
        let _ = Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    // An invalid locale tag would throw; the browser's own language is always valid.
    let locale = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_else(|| "en".into());
    Date::new(&JsValue::from_f64(millis)).to_locale_string(&locale, &options).into()
}

/// How long a run took, or that it still runs.
pub fn run_duration(run: &Run) -> String {
    let millis =
        |timestamp: &Option<String>| timestamp.as_deref().map(Date::parse).filter(|millis| !millis.is_nan());
    describe_run_duration(run.status, millis(&run.started_at), millis(&run.finished_at))
}

/// From the start and end in milliseconds since the epoch; a run that never started has no
/// duration ("—").
pub fn describe_run_duration(status: RunStatus, started: Option<f64>, finished: Option<f64>) -> String {
    match (started, finished) {
        (Some(started), Some(finished)) => describe_duration(finished - started),
        _ if status == RunStatus::Running => "running…".into(),
        _ => "—".into(),
    }
}

/// Precise for short runs ("850 ms", "12.3 s"), whole units for long ones ("4 min 5 s").
pub fn describe_duration(millis: f64) -> String {
    // Clocks of the nodes differ a little; a run cannot take less than nothing.
    let millis = millis.max(0.0).round() as u64;
    let seconds = millis / 1000;
    match millis {
        0..1000 => format!("{millis} ms"),
        1000..60_000 => format!("{:.1} s", millis as f64 / 1000.0),
        60_000..3_600_000 => format!("{} min {} s", seconds / 60, seconds % 60),
        _ => format!("{} h {} min", seconds / 3600, seconds % 3600 / 60),
    }
}

/// The first block of a UUID ("0b7e3c52"): enough to tell runs apart on one screen.
pub fn short_id(id: &str) -> &str {
    let end = id.char_indices().nth(8).map_or(id.len(), |(index, _)| index);
    &id[..end]
}

/// How long ago `timestamp` was ("4 s ago"), or `None` when it does not parse.
pub fn age(timestamp: &str) -> Option<String> {
    let millis = Date::parse(timestamp);
    (!millis.is_nan()).then(|| describe_age((Date::now() - millis) / 1000.0))
}

/// Coarse on purpose: a heartbeat 4 s or 3 min old is what an operator needs to see.
pub fn describe_age(seconds: f64) -> String {
    // Clocks of browser and node differ a little; a heartbeat "from the future" is just now.
    let seconds = seconds.max(0.0).round() as u64;
    match seconds {
        0..60 => format!("{seconds} s ago"),
        60..3600 => format!("{} min ago", seconds / 60),
        3600..86_400 => format!("{} h ago", seconds / 3600),
        _ => format!("{} d ago", seconds / 86_400),
    }
}

/// A lower-case message fragment ("name must not be empty") as a sentence to show on its own.
pub fn sentence(message: &str) -> String {
    let mut chars = message.trim().chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut text: String = first.to_uppercase().chain(chars).collect();
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_become_sentences() {
        assert_eq!(sentence("name must not be empty"), "Name must not be empty.");
        assert_eq!(sentence("Done!"), "Done!");
        assert_eq!(sentence("  "), "");
    }

    #[test]
    fn ages_use_the_largest_whole_unit() {
        assert_eq!(describe_age(-2.0), "0 s ago");
        assert_eq!(describe_age(4.4), "4 s ago");
        assert_eq!(describe_age(185.0), "3 min ago");
        assert_eq!(describe_age(7300.0), "2 h ago");
        assert_eq!(describe_age(200_000.0), "2 d ago");
    }

    #[test]
    fn durations_are_precise_when_short_and_whole_when_long() {
        assert_eq!(describe_duration(-5.0), "0 ms");
        assert_eq!(describe_duration(850.0), "850 ms");
        assert_eq!(describe_duration(12_345.0), "12.3 s");
        assert_eq!(describe_duration(245_000.0), "4 min 5 s");
        assert_eq!(describe_duration(7_380_000.0), "2 h 3 min");
    }

    #[test]
    fn a_run_without_an_end_is_running_or_has_no_duration() {
        assert_eq!(describe_run_duration(RunStatus::Succeeded, Some(1000.0), Some(3500.0)), "2.5 s");
        assert_eq!(describe_run_duration(RunStatus::Running, Some(1000.0), None), "running…");
        assert_eq!(describe_run_duration(RunStatus::Queued, None, None), "—");
        assert_eq!(describe_run_duration(RunStatus::Cancelled, None, Some(2000.0)), "—");
    }

    #[test]
    fn short_ids_keep_the_first_block() {
        assert_eq!(short_id("0b7e3c52-9d1f-4e1a-8c7e-5f2a9b3d1c00"), "0b7e3c52");
        assert_eq!(short_id("abc"), "abc");
        assert_eq!(short_id("ééééééééé"), "éééééééé");
    }
}
