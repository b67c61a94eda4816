//! The local date and time an `<input type="datetime-local">` holds, as the RFC 3339 instant in
//! UTC that the API's time filters take, and the calendar arithmetic behind it.

use web_sys::js_sys::Date;

const SECONDS_PER_DAY: i64 = 86_400;

/// A date and time without a zone, as `datetime-local` gives it: `2025-06-01T14:30`, with seconds
/// (`…:15`) and fractions (`…:15.250`) when the input's step asks for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WallClock {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
}

impl WallClock {
    /// `None` for an empty or half-typed input; fractions of a second are dropped because the
    /// filters compare creation times to the second at best.
    pub fn parse(text: &str) -> Option<Self> {
        let (date, time) = text.trim().split_once('T')?;
        let (year, month, day) = parse_date(date)?;
        let time = time.split_once('.').map_or(time, |(whole, _fraction)| whole);
        let mut time_parts = time.split(':');
        let hour = number(time_parts.next()?, 2)?;
        let minute = number(time_parts.next()?, 2)?;
        let second = time_parts.next().map_or(Some(0), |text| number(text, 2))?;
        let valid = time_parts.next().is_none() && hour < 24 && minute < 60 && second < 60;
        valid.then_some(Self { year, month, day, hour, minute, second })
    }

    /// The instant in UTC, given how far the viewer's zone was behind UTC at that moment, in
    /// minutes (JavaScript's `getTimezoneOffset`: `-120` in Paris in summer).
    pub fn to_utc(self, offset_minutes: i64) -> String {
        let utc = Self::from_epoch_seconds(self.epoch_seconds() + offset_minutes * 60);
        let [year, month, day, hour, minute, second] = utc.fields();
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
    }

    /// The date and time a clock reads `seconds` after 1970-01-01T00:00 on the same clock: with
    /// a UTC instant and a zone's offset added, the wall clock of that zone.
    pub fn from_epoch_seconds(seconds: i64) -> Self {
        let (days, rest) = (seconds.div_euclid(SECONDS_PER_DAY), seconds.rem_euclid(SECONDS_PER_DAY));
        let (year, month, day) = civil_from_days(days);
        Self { year, month, day, hour: rest / 3600, minute: rest % 3600 / 60, second: rest % 60 }
    }

    /// The inverse of [`WallClock::from_epoch_seconds`]: seconds since 1970-01-01T00:00 on this clock.
    pub fn epoch_seconds(self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * SECONDS_PER_DAY
            + self.hour * 3600
            + self.minute * 60
            + self.second
    }

    /// From fields already checked against the calendar (see [`WallClock::fields`]).
    pub(crate) fn from_fields([year, month, day, hour, minute, second]: [i64; 6]) -> Self {
        Self { year, month, day, hour, minute, second }
    }

    /// As a `datetime-local` input shows it: seconds only when there are some.
    pub fn to_input(self) -> String {
        let Self { year, month, day, hour, minute, second } = self;
        let minutes = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}");
        if second == 0 { minutes } else { format!("{minutes}:{second:02}") }
    }

    /// `year, month, day, hour, minute, second`, for text built elsewhere.
    pub fn fields(self) -> [i64; 6] {
        [self.year, self.month, self.day, self.hour, self.minute, self.second]
    }

    /// The viewer's offset at this date and time, which daylight saving time makes depend on it.
    fn browser_offset_minutes(self) -> i64 {
        // Every field was range-checked by `parse`, so the narrowing casts cannot wrap.
        let date = Date::new_with_year_month_day_hr_min_sec(
            self.year as u32,
            self.month as i32 - 1,
            self.day as i32,
            self.hour as i32,
            self.minute as i32,
            self.second as i32,
        );
        date.get_timezone_offset() as i64
    }
}

/// A `datetime-local` value as RFC 3339 UTC in the viewer's time zone; `None` when it is empty
/// or not a date and time. Calls the browser, so only from the running console.
pub fn local_input_to_utc(text: &str) -> Option<String> {
    let clock = WallClock::parse(text)?;
    Some(clock.to_utc(clock.browser_offset_minutes()))
}

/// A calendar date written `YYYY-MM-DD` that exists (no 30 February).
pub fn is_calendar_date(text: &str) -> bool {
    parse_date(text).is_some()
}

/// `YYYY-MM-DD` as year, month and day, checked against the calendar.
pub(crate) fn parse_date(text: &str) -> Option<(i64, i64, i64)> {
    let mut parts = text.split('-');
    let year = number(parts.next()?, 4)?;
    let month = number(parts.next()?, 2)?;
    let day = number(parts.next()?, 2)?;
    let valid = parts.next().is_none()
        && (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day);
    valid.then_some((year, month, day))
}

/// Exactly `digits` ASCII digits.
pub(crate) fn number(text: &str, digits: usize) -> Option<i64> {
    if text.len() != digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`] (Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str, offset_minutes: i64) -> Option<String> {
        WallClock::parse(text).map(|clock| clock.to_utc(offset_minutes))
    }

    #[test]
    fn the_input_forms_parse() {
        assert_eq!(utc("2025-06-01T14:30", 0).as_deref(), Some("2025-06-01T14:30:00Z"));
        assert_eq!(utc("2025-06-01T14:30:15", 0).as_deref(), Some("2025-06-01T14:30:15Z"));
        assert_eq!(utc("2025-06-01T14:30:15.250", 0).as_deref(), Some("2025-06-01T14:30:15Z"));
    }

    #[test]
    fn half_typed_or_impossible_values_are_no_filter() {
        for text in
            ["", "2025-06-01", "2025-06-01T", "2025-6-01T14:30", "2025-02-29T10:00", "2025-06-01T24:00"]
        {
            assert_eq!(WallClock::parse(text), None, "{text}");
        }
        assert!(WallClock::parse("2024-02-29T10:00").is_some());
    }

    #[test]
    fn dates_must_exist() {
        assert!(is_calendar_date("2024-02-29"));
        assert!(is_calendar_date("2025-12-31"));
        for text in ["2025-02-29", "2025-13-01", "2025-04-31", "25-01-01", "2025-01-01-01", "2025/01/01"] {
            assert!(!is_calendar_date(text), "{text}");
        }
    }

    #[test]
    fn the_offset_moves_the_instant_to_utc() {
        // Paris in summer is two hours ahead: getTimezoneOffset() is -120.
        assert_eq!(utc("2025-06-01T14:30", -120).as_deref(), Some("2025-06-01T12:30:00Z"));
        // New York in winter is five hours behind.
        assert_eq!(utc("2025-01-15T21:00", 300).as_deref(), Some("2025-01-16T02:00:00Z"));
    }

    #[test]
    fn crossing_midnight_carries_into_day_month_and_year() {
        assert_eq!(utc("2025-01-01T00:30", 60).as_deref(), Some("2025-01-01T01:30:00Z"));
        assert_eq!(utc("2025-01-01T00:30", -60).as_deref(), Some("2024-12-31T23:30:00Z"));
        assert_eq!(utc("2024-03-01T01:00", -120).as_deref(), Some("2024-02-29T23:00:00Z"));
        assert_eq!(utc("2024-02-29T23:00", 90).as_deref(), Some("2024-03-01T00:30:00Z"));
    }

    #[test]
    fn epoch_seconds_round_trip_and_fill_inputs() {
        let clock = WallClock::parse("2024-02-29T23:05:09").unwrap();
        assert_eq!(WallClock::from_epoch_seconds(clock.epoch_seconds()), clock);
        assert_eq!(clock.to_input(), "2024-02-29T23:05:09");
        assert_eq!(WallClock::from_epoch_seconds(0).to_input(), "1970-01-01T00:00");
        assert_eq!(WallClock::from_epoch_seconds(-1).to_input(), "1969-12-31T23:59:59");
    }

    #[test]
    fn calendar_arithmetic_round_trips() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for days in [-800_000, -1, 0, 1, 11_016, 19_000, 20_000, 2_932_896] {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days);
        }
    }
}
