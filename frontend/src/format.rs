//! How values read in the console: times in the viewer's locale and time zone, ages of
//! heartbeats, server message fragments as sentences.

use wasm_bindgen::JsValue;
use web_sys::js_sys::{Date, Object, Reflect};

/// An RFC 3339 time from the server as local date and time ("1 Jun 2025, 14:34"); text the browser
/// cannot parse is shown as sent rather than hidden.
pub fn local_time(timestamp: &str) -> String {
    let millis = Date::parse(timestamp);
    if millis.is_nan() {
        return timestamp.to_owned();
    }
    let options = Object::new();
    let _ = Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = Reflect::set(&options, &"timeStyle".into(), &"short".into());
    // An invalid locale tag would throw; the browser's own language is always valid.
    let locale = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_else(|| "en".into());
    Date::new(&JsValue::from_f64(millis)).to_locale_string(&locale, &options).into()
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
    use super::{describe_age, sentence};

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
}
