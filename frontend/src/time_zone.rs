//! IANA time zones as the browser knows them (`Intl`): the viewer's own zone, a zone's offset at
//! an instant, and the common zones a picker suggests.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{Array, Date, Function, Intl, Object, Reflect};

use crate::wall_clock::WallClock;

/// What the time-zone pickers suggest; any other IANA name may be typed.
pub const COMMON_ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Zurich",
    "Europe/Vienna",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Africa/Lagos",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Toronto",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
];

/// The viewer's zone (`Europe/Paris`), `None` when the browser does not say.
pub fn viewer_zone() -> Option<String> {
    let options = Intl::DateTimeFormat::new(&Array::new(), &Object::new()).resolved_options();
    Reflect::get(&options, &"timeZone".into()).ok()?.as_string().filter(|zone| !zone.is_empty())
}

/// How far the viewer's clock is ahead of UTC now, in milliseconds: what charts label hours with.
pub fn viewer_offset_ms() -> i64 {
    // `getTimezoneOffset` counts minutes behind UTC: -120 in Paris in summer.
    -(Date::new_0().get_timezone_offset() as i64) * 60_000
}

/// How far `zone`'s clocks are ahead of UTC at `utc_seconds`, in seconds; `None` when the browser
/// does not know the zone.
pub fn offset_seconds(zone: &str, utc_seconds: i64) -> Option<i64> {
    let format = zone_format(zone)?;
    let date = Date::new(&JsValue::from_f64(utc_seconds as f64 * 1000.0));
    let mut fields = [0_i64; 6];
    for part in format.format_to_parts(&date).iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let slot = ["year", "month", "day", "hour", "minute", "second"].iter().position(|name| *name == kind);
        if let Some(slot) = slot {
            fields[slot] = Reflect::get(&part, &"value".into()).ok()?.as_string()?.parse().ok()?;
        }
    }
    // Some engines write midnight as hour 24 of the day before even with `h23`.
    if fields[3] == 24 {
        fields[3] = 0;
        return Some(WallClock::from_fields(fields).epoch_seconds() + 86_400 - utc_seconds);
    }
    Some(WallClock::from_fields(fields).epoch_seconds() - utc_seconds)
}

/// A formatter that writes every field of a date as numbers in `zone`. Built through `Reflect`
/// because the constructor throws on an unknown zone, and an exception must not cross into Rust.
fn zone_format(zone: &str) -> Option<Intl::DateTimeFormat> {
    let options = Object::new();
    let numeric = ["year", "month", "day", "hour", "minute", "second"].map(|name| (name, "numeric"));
    for (key, value) in [("timeZone", zone), ("hourCycle", "h23")].into_iter().chain(numeric) {
        Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    let intl = Reflect::get(&web_sys::js_sys::global(), &"Intl".into()).ok()?;
    let constructor: Function = Reflect::get(&intl, &"DateTimeFormat".into()).ok()?.dyn_into().ok()?;
    let arguments = Array::of2(&"en-US".into(), &options);
    Some(Reflect::construct(&constructor, &arguments).ok()?.unchecked_into())
}

#[cfg(test)]
mod tests {
    use super::COMMON_ZONES;

    #[test]
    fn the_suggested_zones_are_distinct_iana_names() {
        let mut seen = std::collections::BTreeSet::new();
        for zone in COMMON_ZONES {
            assert!(seen.insert(zone), "{zone} twice");
            assert!(*zone == "UTC" || zone.contains('/'), "{zone}");
        }
    }
}
