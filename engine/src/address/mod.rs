//! The `address` module: a rule-based parser for one-line postal addresses. It splits
//! "12 Main St Apt 4, Springfield, IL 62704, USA" into number, street, unit, city, region,
//! postcode and country (ISO 3166 alpha-2), with a confidence between 0 and 1 that says how
//! much of the line it could place.
//!
//! Rules, in order: the last comma-separated part may name the country; postcodes are found
//! by the patterns of the countries we know (or any 4–6 digit group); a region is a known
//! state or province code next to the postcode; the first part holds the street line, with the
//! house number before (Anglo-Saxon, French) or after (German, Dutch, Nordic) the street name,
//! and a unit introduced by Apt, Suite, Unit, Flat, # …; the city is what remains of the part
//! that holds the postcode, or the part before it.

mod tables;
#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use regex::Regex;

use tables::{country_code, region_code};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Address {
    pub number: Option<String>,
    pub street: Option<String>,
    pub unit: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub confidence: f64,
}

/// The patterns are constants exercised by every test below; a typo fails them at once.
#[allow(clippy::expect_used)]
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("address pattern compiles")
}

static UNIT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:^|[\s,])((?:apt|apartment|suite|ste|unit|flat|floor|fl|level|room|rm|bldg|building)\.?\s*[#]?\s*[\w-]+|#\s*[\w-]+)\s*$",
    )
});
static NUMBER_FIRST: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?)(?:,)?\s+(.+)$"));
static NUMBER_LAST: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\D.*?)\s+(\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?)$"));

/// Postcode patterns by country, tried before the generic digit group.
static POSTCODES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    vec![
        ("CA", re(r"(?i)\b([A-Z]\d[A-Z])\s?(\d[A-Z]\d)\b")),
        ("GB", re(r"(?i)\b([A-Z]{1,2}\d[A-Z\d]?)\s?(\d[A-Z]{2})\b")),
        ("NL", re(r"\b(\d{4})\s?([A-Z]{2})\b")),
        ("US", re(r"\b(\d{5})(-\d{4})?\b")),
        ("BR", re(r"\b(\d{5})-(\d{3})\b")),
        ("JP", re(r"\b(\d{3})-(\d{4})\b")),
        ("PL", re(r"\b(\d{2})-(\d{3})\b")),
        ("PT", re(r"\b(\d{4})-(\d{3})\b")),
        ("SE", re(r"\b(\d{3}) (\d{2})\b")),
        ("", re(r"\b(\d{4,6})\b")),
    ]
});

struct Postcode {
    text: String,
    country_hint: &'static str,
    start: usize,
    end: usize,
}

fn find_postcode(segment: &str, country: Option<&str>) -> Option<Postcode> {
    let mut found: Option<Postcode> = None;
    for (hint, pattern) in POSTCODES.iter() {
        if country.is_some_and(|c| !hint.is_empty() && c != *hint) {
            continue;
        }
        // The last match in the segment: house numbers come first.
        if let Some(m) = pattern.find_iter(segment).last() {
            let text = match *hint {
                "CA" | "GB" => {
                    let compact: String = m.as_str().split_whitespace().collect::<String>().to_uppercase();
                    let split = compact.len() - 3;
                    format!("{} {}", &compact[..split], &compact[split..])
                }
                "NL" => {
                    let compact: String = m.as_str().split_whitespace().collect();
                    format!("{} {}", &compact[..4], &compact[4..])
                }
                _ => m.as_str().to_string(),
            };
            let candidate = Postcode { text, country_hint: hint, start: m.start(), end: m.end() };
            // A GB-looking match inside a word-number street ("A1 2BC") only wins if nothing
            // more specific was found.
            if found.as_ref().is_none_or(|f| candidate.start > f.start && f.country_hint.is_empty()) {
                found = Some(candidate);
            }
            if !hint.is_empty() {
                break;
            }
        }
    }
    found
}

fn clean(text: &str) -> Option<String> {
    let trimmed = text.trim().trim_matches(|c: char| c == ',' || c == '.' || c.is_whitespace());
    (!trimmed.is_empty()).then(|| trimmed.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Split the street line into number, street and unit.
fn street_line(line: &str, address: &mut Address) {
    let mut rest = line.trim().to_string();
    if let Some(m) = UNIT.captures(&rest).and_then(|caps| caps.get(1)) {
        address.unit = clean(m.as_str());
        rest = rest[..m.start()].to_string();
    }
    let rest = rest.trim().trim_end_matches(',').trim();
    if let Some(caps) = NUMBER_FIRST.captures(rest) {
        address.number = caps.get(1).map(|m| m.as_str().to_string());
        address.street = caps.get(2).and_then(|m| clean(m.as_str()));
    } else if let Some(caps) = NUMBER_LAST.captures(rest) {
        address.street = caps.get(1).and_then(|m| clean(m.as_str()));
        address.number = caps.get(2).map(|m| m.as_str().to_string());
    } else {
        address.street = clean(rest);
    }
}

/// Take a region code off the end (or start) of `text`, if it is one of `country`'s.
fn take_region(text: &str, country: Option<&str>) -> (String, Option<(String, &'static str)>) {
    let words: Vec<&str> = text.split_whitespace().collect();
    for take in [2usize, 1] {
        if words.len() >= take {
            let tail = words[words.len() - take..].join(" ");
            if let Some((code, region_country)) = region_code(&tail, country) {
                return (words[..words.len() - take].join(" "), Some((code.to_string(), region_country)));
            }
        }
    }
    (text.to_string(), None)
}

pub fn parse(line: &str) -> Address {
    let mut address = Address::default();
    let mut parts: Vec<String> = line.split([',', '\n', ';']).filter_map(clean).collect();
    if parts.is_empty() {
        return address;
    }
    let named_country = parts.last().filter(|_| parts.len() > 1).and_then(|p| country_code(p));
    if let Some(code) = named_country {
        address.country = Some(code.to_string());
        parts.pop();
    }
    // The postcode: searched from the last part backwards (not in the street line when other
    // parts exist).
    let first_candidate = usize::from(parts.len() > 1);
    let mut postcode_part = None;
    for index in (first_candidate..parts.len()).rev() {
        if let Some(postcode) = find_postcode(&parts[index], address.country.as_deref()) {
            let part = &parts[index];
            let remainder = format!("{} {}", &part[..postcode.start], &part[postcode.end..]);
            address.postcode = Some(postcode.text);
            // Five digits could be almost anywhere; the other patterns name their country.
            if address.country.is_none() && !matches!(postcode.country_hint, "" | "US") {
                address.country = Some(postcode.country_hint.to_string());
            }
            parts[index] = remainder.split_whitespace().collect::<Vec<_>>().join(" ");
            postcode_part = Some(index);
            break;
        }
    }
    // The region: next to the postcode, or at the end of the last part.
    let region_index = postcode_part.unwrap_or(parts.len() - 1);
    for index in [region_index, region_index.saturating_sub(1)] {
        if index == 0 && parts.len() > 1 {
            continue;
        }
        let (rest, region) = take_region(&parts[index], address.country.as_deref());
        if let Some((code, region_country)) = region {
            address.region = Some(code);
            if address.country.is_none() {
                address.country = Some(region_country.to_string());
            }
            parts[index] = rest;
            break;
        }
    }
    parts.retain(|p| !p.trim().is_empty());
    // A part holding only a unit ("Suite 200", "Flat 3") belongs to the street line.
    let unit_only =
        |p: &str| UNIT.is_match(p) && p.split_whitespace().count() <= 3 && !NUMBER_FIRST.is_match(p);
    if parts.len() > 2 && unit_only(&parts[0]) {
        let unit = parts.remove(0);
        parts[0] = format!("{} {unit}", parts[0]);
    } else if parts.len() > 2 && unit_only(&parts[1]) {
        let unit = parts.remove(1);
        parts[0] = format!("{} {unit}", parts[0]);
    }
    let located = address.postcode.is_some() || address.region.is_some();
    match parts.len() {
        0 => {}
        1 if located && !parts[0].chars().any(|c| c.is_ascii_digit()) => address.city = clean(&parts[0]),
        1 => street_line(&parts[0], &mut address),
        _ => {
            street_line(&parts[0], &mut address);
            address.city = parts.last().and_then(|p| clean(p));
        }
    }
    address.confidence = confidence(&address);
    address
}

fn confidence(a: &Address) -> f64 {
    let weights = [
        (a.street.is_some(), 0.25),
        (a.number.is_some(), 0.15),
        (a.city.is_some(), 0.2),
        (a.postcode.is_some(), 0.2),
        (a.region.is_some() || a.country.as_deref().is_some_and(|c| !tables::HAS_REGIONS.contains(&c)), 0.1),
        (a.country.is_some(), 0.1),
    ];
    let score: f64 = weights.iter().filter(|(present, _)| *present).map(|(_, w)| w).sum();
    (score * 100.0).round() / 100.0
}
