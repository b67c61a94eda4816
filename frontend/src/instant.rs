//! RFC 3339 instants as milliseconds since the epoch, and wall clocks of a time zone whose offsets
//! are given: the time arithmetic of charts and the schedule editor, without the browser.

use crate::wall_clock::{WallClock, number, parse_date};

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// A zone's offset from UTC at an instant, both in seconds (east of UTC is positive: `7200` in
/// Paris in summer); `None` when the zone is unknown.
pub type ZoneOffsets<'a> = &'a dyn Fn(&str, i64) -> Option<i64>;

/// Milliseconds since the epoch of `2025-06-01T14:30:00Z`, `…T14:30:00.25+02:00` and the like;
/// `None` for anything else.
pub fn parse_millis(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = text.split_at_checked(10)?;
    let (year, month, day) = parse_date(date)?;
    let time = time.strip_prefix(['T', 't', ' '])?;
    let (clock, offset_seconds) = split_offset(time)?;
    let (whole, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = whole.split(':');
    let hour = number(parts.next()?, 2)?;
    let minute = number(parts.next()?, 2)?;
    let second = number(parts.next()?, 2)?;
    // A leap second (`:60`) is read as the last second of its minute.
    if parts.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let millis = fraction_millis(fraction)?;
    let wall = WallClock::from_fields([year, month, day, hour, minute, second.min(59)]);
    Some((wall.epoch_seconds() - offset_seconds) * 1000 + millis)
}

/// The clock text and the offset (seconds east of UTC) of `14:30:00+02:00` or `14:30:00Z`.
fn split_offset(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let sign_at = time.rfind(['+', '-'])?;
    let (clock, offset) = time.split_at(sign_at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let (hours, minutes) = offset[1..].split_once(':')?;
    let (hours, minutes) = (number(hours, 2)?, number(minutes, 2)?);
    (hours < 24 && minutes < 60).then_some((clock, sign * (hours * 3600 + minutes * 60)))
}

/// Milliseconds of a fraction of a second written after the dot (`"25"` is 250 ms).
fn fraction_millis(fraction: &str) -> Option<i64> {
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let padded: String = fraction.chars().chain("000".chars()).take(3).collect();
    padded.parse().ok()
}

/// An instant (milliseconds) as RFC 3339 in UTC, to the second: what the API's filters take.
pub fn utc_text(millis: i64) -> String {
    WallClock::from_epoch_seconds(millis.div_euclid(1000)).to_utc(0)
}

/// The wall clock of a zone at a UTC instant (seconds), given the zone's offset then.
pub fn wall_at(utc_seconds: i64, offset_seconds: i64) -> WallClock {
    WallClock::from_epoch_seconds(utc_seconds + offset_seconds)
}

/// The UTC instant (seconds) at which the zone's clock reads `wall`. A time that the zone skips
/// (clocks moving forward) is read with the offset before the change, so 02:30 on a spring night
/// in Paris is 03:30; a time that happens twice is the first of them.
pub fn utc_of_wall(wall: WallClock, offset_at: impl Fn(i64) -> Option<i64>) -> Option<i64> {
    let local = wall.epoch_seconds();
    // Offsets change by at most a day, so the offsets a day either side bracket the answer.
    let before = offset_at(local - 86_400)?;
    let after = offset_at(local + 86_400)?;
    let candidates = [local - before.max(after), local - before.min(after)];
    let exact =
        candidates.into_iter().find(|utc| offset_at(*utc).is_some_and(|offset| utc + offset == local));
    Some(exact.unwrap_or(local - before))
}

/// RFC 3339 text of a wall clock with its offset: `2026-03-01T02:00:00+01:00`.
pub fn rfc3339_with_offset(wall: WallClock, offset_seconds: i64) -> String {
    let [year, month, day, hour, minute, second] = wall.fields();
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let offset = offset_seconds.abs();
    let (offset_hours, offset_minutes) = (offset / 3600, offset % 3600 / 60);
    format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{sign}{offset_hours:02}:{offset_minutes:02}"
    )
}

/// The `datetime-local` text of an instant in a zone, for an input that edits it; `None` when
/// the text is no RFC 3339 instant or the zone is unknown.
pub fn input_in_zone(text: &str, zone: &str, offsets: ZoneOffsets<'_>) -> Option<String> {
    let utc_seconds = parse_millis(text)?.div_euclid(1000);
    let offset = offsets(zone, utc_seconds)?;
    Some(wall_at(utc_seconds, offset).to_input())
}

/// The RFC 3339 instant a `datetime-local` text means in a zone. `Err` says what is wrong: the
/// text is no date and time, or the zone is unknown.
pub fn instant_in_zone(input: &str, zone: &str, offsets: ZoneOffsets<'_>) -> Result<String, &'static str> {
    let wall = WallClock::parse(input).ok_or("give a date and a time")?;
    let utc = utc_of_wall(wall, |utc| offsets(zone, utc)).ok_or("the time zone is unknown")?;
    let offset = offsets(zone, utc).ok_or("the time zone is unknown")?;
    Ok(rfc3339_with_offset(wall_at(utc, offset), offset))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A zone one hour east of UTC that moves to two hours from 2026-03-29T01:00Z to
    /// 2026-10-25T01:00Z, like Central Europe, for tests.
    pub fn paris(zone: &str, utc: i64) -> Option<i64> {
        let spring = parse_millis("2026-03-29T01:00:00Z")? / 1000;
        let autumn = parse_millis("2026-10-25T01:00:00Z")? / 1000;
        match zone {
            "Europe/Paris" if (spring..autumn).contains(&utc) => Some(7200),
            "Europe/Paris" => Some(3600),
            "UTC" => Some(0),
            _ => None,
        }
    }

    fn wall(text: &str) -> WallClock {
        WallClock::parse(text).unwrap()
    }

    #[test]
    fn rfc3339_forms_parse_to_the_same_instant() {
        let expected = Some(1_748_788_200_000);
        assert_eq!(parse_millis("2025-06-01T14:30:00Z"), expected);
        assert_eq!(parse_millis("2025-06-01T16:30:00+02:00"), expected);
        assert_eq!(parse_millis("2025-06-01t09:30:00-05:00"), expected);
        assert_eq!(parse_millis("2025-06-01T14:30:00.25Z"), Some(1_748_788_200_250));
        assert_eq!(parse_millis("2025-06-01T14:30:00.123456789Z"), Some(1_748_788_200_123));
    }

    #[test]
    fn instants_are_written_back_in_utc() {
        for text in ["2025-06-01T14:30:00Z", "1969-12-31T23:59:59Z"] {
            assert_eq!(utc_text(parse_millis(text).unwrap()), text);
        }
    }

    #[test]
    fn text_that_is_not_rfc3339_is_refused() {
        for text in
            ["", "2025-06-01", "2025-06-01T14:30Z", "2025-06-01T14:30:00", "2025-02-30T00:00:00Z", "x"]
        {
            assert_eq!(parse_millis(text), None, "{text}");
        }
    }

    #[test]
    fn wall_clocks_become_instants_with_the_offset_of_that_day() {
        let offsets: ZoneOffsets<'_> = &paris;
        assert_eq!(
            instant_in_zone("2026-01-15T02:00", "Europe/Paris", offsets).unwrap(),
            "2026-01-15T02:00:00+01:00"
        );
        assert_eq!(
            instant_in_zone("2026-07-15T02:00", "Europe/Paris", offsets).unwrap(),
            "2026-07-15T02:00:00+02:00"
        );
        assert_eq!(
            instant_in_zone("2026-07-15T02:00:30", "UTC", offsets).unwrap(),
            "2026-07-15T02:00:30+00:00"
        );
        assert_eq!(instant_in_zone("2026-07-15", "UTC", offsets), Err("give a date and a time"));
        assert_eq!(
            instant_in_zone("2026-07-15T02:00", "Mars/Olympus", offsets),
            Err("the time zone is unknown")
        );
    }

    #[test]
    fn skipped_and_repeated_times_have_one_answer() {
        let offset_at = |utc| paris("Europe/Paris", utc);
        // 02:30 does not exist on 29 March: read with the winter offset, it is 03:30 summer time.
        let skipped = utc_of_wall(wall("2026-03-29T02:30"), offset_at).unwrap();
        assert_eq!(wall_at(skipped, 7200).to_input(), "2026-03-29T03:30");
        // 02:30 happens twice on 25 October: the first is still summer time.
        let repeated = utc_of_wall(wall("2026-10-25T02:30"), offset_at).unwrap();
        assert_eq!(repeated * 1000, parse_millis("2026-10-25T00:30:00Z").unwrap());
    }

    #[test]
    fn instants_show_in_the_zone_they_are_edited_in() {
        let offsets: ZoneOffsets<'_> = &paris;
        assert_eq!(
            input_in_zone("2026-07-15T00:00:00Z", "Europe/Paris", offsets).as_deref(),
            Some("2026-07-15T02:00")
        );
        assert_eq!(
            input_in_zone("2026-01-15T23:30:15Z", "Europe/Paris", offsets).as_deref(),
            Some("2026-01-16T00:30:15")
        );
        assert_eq!(input_in_zone("nonsense", "UTC", offsets), None);
        assert_eq!(rfc3339_with_offset(wall("2026-01-15T02:00"), -34_200), "2026-01-15T02:00:00-09:30");
    }
}
