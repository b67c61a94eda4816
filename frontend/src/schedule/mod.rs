//! Schedules without the DOM: the cron builder's presets, the editor's state and its conversion
//! to and from [`model::ScheduleSpec`], parameter rows, problems by field, and the one-line
//! summary of a trigger.

mod cron;
mod errors;
mod form;
mod params;

pub use cron::{CronBuilder, Preset, WEEKDAYS, clock, describe, parse_clock};
pub use errors::{FieldErrors, input_id, previewed};
pub use form::{MISFIRE_CHOICES, OVERLAP_CHOICES, ScheduleForm, TriggerKind};

use model::ScheduleSpec;

use crate::instant::{ZoneOffsets, input_in_zone};

/// What starts the schedule, in a few words: "Every day at 02:00", "Once on 2026-07-14 at 22:00"
/// (in the schedule's zone), "Files *.csv in incoming".
pub fn trigger_summary(spec: &ScheduleSpec, offsets: ZoneOffsets<'_>) -> String {
    match (&spec.cron, &spec.at, &spec.file) {
        (Some(cron), _, _) => describe(cron),
        (_, Some(at), _) => match input_in_zone(at, &spec.timezone, offsets) {
            Some(local) => {
                let (date, time) = local.split_once('T').unwrap_or((&local, ""));
                format!("Once on {date} at {time}")
            }
            None => format!("Once at {at}"),
        },
        (_, _, Some(file)) => format!("Files {} in {}", file.pattern, file.directory),
        _ => "No trigger".into(),
    }
}

/// A fire time as the preview returns it in the schedule's zone (`2026-07-14T22:00:00+02:00`),
/// for people: `Tue 14 Jul 2026, 22:00 (UTC+02:00)`; text that does not parse is shown as sent.
pub fn describe_local(local: &str) -> String {
    let Some((wall, offset)) = local_parts(local) else {
        return local.to_owned();
    };
    let [year, month, day, hour, minute, second] = wall.fields();
    let days = wall.epoch_seconds().div_euclid(86_400);
    // 1970-01-01 was a Thursday.
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = months.get(usize::try_from(month - 1).unwrap_or(0)).unwrap_or(&"?");
    let seconds = if second == 0 { String::new() } else { format!(":{second:02}") };
    let zone = if offset == "Z" || offset == "+00:00" { "UTC".to_owned() } else { format!("UTC{offset}") };
    format!("{weekday} {day} {month} {year}, {hour:02}:{minute:02}{seconds} ({zone})")
}

/// The wall clock and the offset text of an RFC 3339 time.
fn local_parts(local: &str) -> Option<(crate::wall_clock::WallClock, &str)> {
    let local = local.trim();
    let offset_at = local.rfind(['+', 'Z']).or_else(|| local.rfind('-').filter(|at| *at > 10))?;
    let (clock, offset) = local.split_at(offset_at);
    let clock = clock.split_once('.').map_or(clock, |(whole, _)| whole);
    Some((crate::wall_clock::WallClock::parse(clock)?, offset))
}

#[cfg(test)]
mod tests {
    use model::FileTrigger;

    use super::*;
    use crate::instant::tests::paris;

    #[test]
    fn each_trigger_has_a_summary() {
        let mut spec = ScheduleForm::new("Europe/Paris".into()).to_preview_spec(&paris).unwrap();
        assert_eq!(trigger_summary(&spec, &paris), "Every day at 02:00");
        spec.cron = None;
        spec.at = Some("2026-07-14T20:00:00Z".into());
        assert_eq!(trigger_summary(&spec, &paris), "Once on 2026-07-14 at 22:00");
        spec.at = None;
        spec.file = Some(FileTrigger { directory: "incoming".into(), pattern: "*.csv".into() });
        assert_eq!(trigger_summary(&spec, &paris), "Files *.csv in incoming");
    }

    #[test]
    fn fire_times_read_in_the_schedules_zone() {
        assert_eq!(describe_local("2026-07-14T22:00:00+02:00"), "Tue 14 Jul 2026, 22:00 (UTC+02:00)");
        assert_eq!(describe_local("2026-01-01T09:30:15-05:00"), "Thu 1 Jan 2026, 09:30:15 (UTC-05:00)");
        assert_eq!(describe_local("2026-03-02T00:00:00.000Z"), "Mon 2 Mar 2026, 00:00 (UTC)");
        assert_eq!(describe_local("soon"), "soon");
    }
}
