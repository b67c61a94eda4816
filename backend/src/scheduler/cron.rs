//! Cron expressions with seconds, evaluated in an IANA time zone.
//!
//! Fields: `second minute hour day-of-month month day-of-week`; five fields mean second 0.
//! Each field takes `*`, numbers, `a-b` ranges, `/step`, comma lists, and names for months
//! (`JAN`…) and weekdays (`SUN`…, 0 or 7 is Sunday). When both day fields are restricted a day
//! matches either (as in Vixie cron).
//!
//! Daylight saving time, as in Vixie cron: a local time that happens twice (clocks go back)
//! fires once, at its first occurrence; a local time that does not exist (clocks go forward)
//! fires at the instant the clocks change.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

/// How far ahead a search looks before deciding an expression never fires (`0 0 0 30 2 *`).
const SEARCH_YEARS: i32 = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronExpr {
    seconds: u64,
    minutes: u64,
    hours: u64,
    days: u64,
    months: u64,
    weekdays: u64,
    any_day: bool,
    any_weekday: bool,
}

const MONTHS: [&str; 12] =
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

impl CronExpr {
    pub fn parse(text: &str) -> Result<Self, String> {
        let fields: Vec<&str> = text.split_whitespace().collect();
        let fields: Vec<&str> = match fields.len() {
            5 => std::iter::once("0").chain(fields).collect(),
            6 => fields,
            n => {
                return Err(format!(
                    "a cron expression has 6 fields (second minute hour day month weekday) or 5 \
                     (without seconds); {text:?} has {n}"
                ));
            }
        };
        let weekdays = field(fields[5], "weekday", 0, 7, &WEEKDAYS, 0)?;
        // 7 is Sunday too.
        let weekdays = (weekdays | (weekdays >> 7)) & 0x7f;
        Ok(Self {
            seconds: field(fields[0], "second", 0, 59, &[], 0)?,
            minutes: field(fields[1], "minute", 0, 59, &[], 0)?,
            hours: field(fields[2], "hour", 0, 23, &[], 0)?,
            days: field(fields[3], "day of month", 1, 31, &[], 0)?,
            months: field(fields[4], "month", 1, 12, &MONTHS, 1)?,
            weekdays,
            any_day: is_any(fields[3]),
            any_weekday: is_any(fields[5]),
        })
    }

    fn day_matches(&self, date: NaiveDate) -> bool {
        if self.months & (1 << date.month()) == 0 {
            return false;
        }
        let day = self.days & (1 << date.day()) != 0;
        let weekday = self.weekdays & (1 << date.weekday().num_days_from_sunday()) != 0;
        match (self.any_day, self.any_weekday) {
            (false, false) => day || weekday,
            _ => day && weekday,
        }
    }

    /// The first fire time strictly after `after`, or `None` if there is none in the next
    /// years.
    pub fn next_after(&self, zone: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = after.with_timezone(&zone).naive_local();
        let mut date = local.date();
        let last = date.with_year(date.year() + SEARCH_YEARS)?;
        // A gap can move a fire time past `after` into the next local day, so start a day early.
        date = date.pred_opt()?;
        while date <= last {
            if self.day_matches(date) {
                for time in self.times_of_day() {
                    let candidate = resolve(zone, date.and_time(time))?;
                    if candidate > after {
                        return Some(candidate);
                    }
                }
            }
            date = date.succ_opt()?;
        }
        None
    }

    /// The fire times after `after`, in order.
    pub fn iter_after(&self, zone: Tz, after: DateTime<Utc>) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        std::iter::successors(self.next_after(zone, after), move |t| self.next_after(zone, *t))
    }

    fn times_of_day(&self) -> impl Iterator<Item = NaiveTime> + '_ {
        bits(self.hours).flat_map(move |h| {
            bits(self.minutes)
                .flat_map(move |m| bits(self.seconds).filter_map(move |s| NaiveTime::from_hms_opt(h, m, s)))
        })
    }
}

/// A local time as an instant: the first of two, or the end of a gap.
fn resolve(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => {
            // Gaps start and end on whole minutes: the first local minute that exists again
            // is the instant the clocks changed.
            let mut probe = local.with_second(0)?;
            for _ in 0..(3 * 60) {
                probe += Duration::minutes(1);
                if let Some(t) = zone.from_local_datetime(&probe).earliest() {
                    return Some(t.with_timezone(&Utc));
                }
            }
            None
        }
    }
}

fn bits(set: u64) -> impl Iterator<Item = u32> {
    (0..64u32).filter(move |i| set & (1 << i) != 0)
}

fn is_any(text: &str) -> bool {
    text == "*" || text == "?"
}

/// A field as a bit set of the values it matches.
fn field(text: &str, what: &str, min: u32, max: u32, names: &[&str], name_base: u32) -> Result<u64, String> {
    let mut set = 0u64;
    for part in text.split(',') {
        let bad = |why: &str| format!("the {what} field {text:?} is not valid: {why}");
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => {
                let step: u32 = step.parse().map_err(|_| bad("the step must be a number"))?;
                if step == 0 {
                    return Err(bad("the step must be at least 1"));
                }
                (range, step)
            }
            None => (part, 1),
        };
        let value = |v: &str| -> Result<u32, String> {
            let upper = v.to_ascii_uppercase();
            if let Some(i) = names.iter().position(|n| *n == upper) {
                return Ok(i as u32 + name_base);
            }
            let n: u32 = v.parse().map_err(|_| bad(&format!("{v:?} is not a number")))?;
            if n < min || n > max {
                return Err(bad(&format!("{n} is outside {min}–{max}")));
            }
            Ok(n)
        };
        let (from, to) = match range {
            "*" | "?" => (min, max),
            r => match r.split_once('-') {
                Some((a, b)) => (value(a)?, value(b)?),
                None if step > 1 => (value(r)?, max),
                None => (value(r)?, value(r)?),
            },
        };
        if from > to {
            return Err(bad(&format!("the range {from}-{to} runs backwards")));
        }
        for v in (from..=to).step_by(step as usize) {
            set |= 1 << v;
        }
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn next(expr: &str, zone: &str, after: &str, count: usize) -> Vec<String> {
        let cron = CronExpr::parse(expr).unwrap();
        let zone: Tz = zone.parse().unwrap();
        cron.iter_after(zone, utc(after)).take(count).map(|t| t.to_rfc3339()).collect()
    }

    #[test]
    fn seconds_minutes_and_steps() {
        assert_eq!(
            next("*/20 * * * * *", "UTC", "2026-01-01T00:00:00Z", 4),
            [
                "2026-01-01T00:00:20+00:00",
                "2026-01-01T00:00:40+00:00",
                "2026-01-01T00:01:00+00:00",
                "2026-01-01T00:01:20+00:00"
            ]
        );
        assert_eq!(
            next("30 9 * * MON-FRI", "UTC", "2026-01-02T10:00:00Z", 2),
            ["2026-01-05T09:30:00+00:00", "2026-01-06T09:30:00+00:00"]
        );
    }

    #[test]
    fn weekday_seven_is_sunday_and_day_fields_combine_with_or() {
        assert_eq!(next("0 0 12 * * 7", "UTC", "2026-01-01T00:00:00Z", 1), ["2026-01-04T12:00:00+00:00"]);
        // The 13th, or any Friday.
        assert_eq!(
            next("0 0 0 13 * FRI", "UTC", "2026-02-01T00:00:00Z", 3),
            ["2026-02-06T00:00:00+00:00", "2026-02-13T00:00:00+00:00", "2026-02-20T00:00:00+00:00"]
        );
    }

    #[test]
    fn a_time_zone_shifts_the_instants() {
        assert_eq!(
            next("0 0 9 * * *", "Europe/Paris", "2026-01-01T00:00:00Z", 1),
            ["2026-01-01T08:00:00+00:00"]
        );
        assert_eq!(
            next("0 0 9 * * *", "Europe/Paris", "2026-07-01T00:00:00Z", 1),
            ["2026-07-01T07:00:00+00:00"]
        );
    }

    #[test]
    fn spring_forward_fires_a_missing_time_when_the_clocks_change() {
        // Europe/Berlin: 2026-03-29 02:00 local does not exist; clocks jump to 03:00 (01:00 UTC).
        assert_eq!(
            next("0 30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", 3),
            ["2026-03-29T01:00:00+00:00", "2026-03-30T00:30:00+00:00", "2026-03-31T00:30:00+00:00"]
        );
        // Hourly runs neither skip nor double around the gap.
        assert_eq!(
            next("0 0 * * * *", "Europe/Berlin", "2026-03-28T23:30:00Z", 3),
            ["2026-03-29T00:00:00+00:00", "2026-03-29T01:00:00+00:00", "2026-03-29T02:00:00+00:00"]
        );
    }

    #[test]
    fn fall_back_fires_a_repeated_time_once() {
        // Europe/Berlin: 2026-10-25 02:00–03:00 local happens twice (00:00–01:00 UTC, then 01:00–02:00).
        assert_eq!(
            next("0 30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", 2),
            ["2026-10-25T00:30:00+00:00", "2026-10-26T01:30:00+00:00"]
        );
        // America/New_York: 2026-11-01 01:30 happens twice; fires once.
        assert_eq!(
            next("0 30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", 2),
            ["2026-11-01T05:30:00+00:00", "2026-11-02T06:30:00+00:00"]
        );
    }

    #[test]
    fn bad_expressions_say_which_field() {
        for (expr, says) in [
            ("* * * *", "has 4"),
            ("61 * * * * *", "second"),
            ("0 0 25 * * *", "hour"),
            ("0 0 0 0 * *", "day of month"),
            ("0 0 0 * FOO *", "month"),
            ("0 0 0 * * 8", "weekday"),
            ("0 */0 * * * *", "at least 1"),
            ("0 5-1 * * * *", "backwards"),
        ] {
            let err = CronExpr::parse(expr).unwrap_err();
            assert!(err.contains(says), "{expr}: {err}");
        }
    }

    #[test]
    fn an_impossible_date_never_fires() {
        let cron = CronExpr::parse("0 0 0 30 2 *").unwrap();
        assert_eq!(cron.next_after(Tz::UTC, utc("2026-01-01T00:00:00Z")), None);
    }
}
