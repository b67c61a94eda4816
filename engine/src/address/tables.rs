//! Countries and regions the parser knows by name and code.

/// Countries whose addresses usually carry a region (state, province).
pub const HAS_REGIONS: &[&str] = &["US", "CA", "AU"];

const COUNTRIES: &[(&str, &[&str])] = &[
    ("US", &["us", "usa", "united states", "united states of america", "u.s.a", "u.s"]),
    (
        "GB",
        &["gb", "uk", "united kingdom", "great britain", "england", "scotland", "wales", "northern ireland"],
    ),
    ("CA", &["ca", "canada"]),
    ("AU", &["au", "australia"]),
    ("DE", &["de", "germany", "deutschland"]),
    ("FR", &["fr", "france"]),
    ("NL", &["nl", "netherlands", "the netherlands", "nederland", "holland"]),
    ("BE", &["be", "belgium", "belgique", "belgië"]),
    ("ES", &["es", "spain", "españa"]),
    ("IT", &["it", "italy", "italia"]),
    ("CH", &["ch", "switzerland", "schweiz", "suisse"]),
    ("AT", &["at", "austria", "österreich"]),
    ("SE", &["se", "sweden", "sverige"]),
    ("NO", &["no", "norway", "norge"]),
    ("DK", &["dk", "denmark", "danmark"]),
    ("FI", &["fi", "finland", "suomi"]),
    ("IE", &["ie", "ireland", "éire"]),
    ("PL", &["pl", "poland", "polska"]),
    ("PT", &["pt", "portugal"]),
    ("CZ", &["cz", "czechia", "czech republic"]),
    ("JP", &["jp", "japan"]),
    ("BR", &["br", "brazil", "brasil"]),
    ("MX", &["mx", "mexico", "méxico"]),
    ("NZ", &["nz", "new zealand"]),
    ("IN", &["in", "india"]),
];

const US_STATES: &[(&str, &str)] = &[
    ("AL", "alabama"),
    ("AK", "alaska"),
    ("AZ", "arizona"),
    ("AR", "arkansas"),
    ("CA", "california"),
    ("CO", "colorado"),
    ("CT", "connecticut"),
    ("DE", "delaware"),
    ("FL", "florida"),
    ("GA", "georgia"),
    ("HI", "hawaii"),
    ("ID", "idaho"),
    ("IL", "illinois"),
    ("IN", "indiana"),
    ("IA", "iowa"),
    ("KS", "kansas"),
    ("KY", "kentucky"),
    ("LA", "louisiana"),
    ("ME", "maine"),
    ("MD", "maryland"),
    ("MA", "massachusetts"),
    ("MI", "michigan"),
    ("MN", "minnesota"),
    ("MS", "mississippi"),
    ("MO", "missouri"),
    ("MT", "montana"),
    ("NE", "nebraska"),
    ("NV", "nevada"),
    ("NH", "new hampshire"),
    ("NJ", "new jersey"),
    ("NM", "new mexico"),
    ("NY", "new york"),
    ("NC", "north carolina"),
    ("ND", "north dakota"),
    ("OH", "ohio"),
    ("OK", "oklahoma"),
    ("OR", "oregon"),
    ("PA", "pennsylvania"),
    ("RI", "rhode island"),
    ("SC", "south carolina"),
    ("SD", "south dakota"),
    ("TN", "tennessee"),
    ("TX", "texas"),
    ("UT", "utah"),
    ("VT", "vermont"),
    ("VA", "virginia"),
    ("WA", "washington"),
    ("WV", "west virginia"),
    ("WI", "wisconsin"),
    ("WY", "wyoming"),
    ("DC", "district of columbia"),
];

const CA_PROVINCES: &[(&str, &str)] = &[
    ("AB", "alberta"),
    ("BC", "british columbia"),
    ("MB", "manitoba"),
    ("NB", "new brunswick"),
    ("NL", "newfoundland and labrador"),
    ("NS", "nova scotia"),
    ("ON", "ontario"),
    ("PE", "prince edward island"),
    ("QC", "quebec"),
    ("SK", "saskatchewan"),
    ("NT", "northwest territories"),
    ("NU", "nunavut"),
    ("YT", "yukon"),
];

const AU_STATES: &[(&str, &str)] = &[
    ("NSW", "new south wales"),
    ("VIC", "victoria"),
    ("QLD", "queensland"),
    ("WA", "western australia"),
    ("SA", "south australia"),
    ("TAS", "tasmania"),
    ("ACT", "australian capital territory"),
    ("NT", "northern territory"),
];

/// The ISO code of a country written as a name or code.
pub fn country_code(text: &str) -> Option<&'static str> {
    let wanted = text.trim().trim_end_matches('.').to_lowercase();
    COUNTRIES.iter().find(|(_, names)| names.contains(&wanted.as_str())).map(|(code, _)| *code)
}

/// The region code of `text` (a code or a name) and its country; within `country` when known.
pub fn region_code(text: &str, country: Option<&str>) -> Option<(&'static str, &'static str)> {
    let wanted = text.trim().trim_end_matches('.').to_lowercase();
    let tables: [(&str, &[(&str, &str)]); 3] = [("US", US_STATES), ("CA", CA_PROVINCES), ("AU", AU_STATES)];
    tables
        .iter()
        .filter(|(c, _)| country.is_none_or(|wanted_country| wanted_country == *c))
        .flat_map(|(c, regions)| regions.iter().map(move |(code, name)| (*c, *code, *name)))
        .find(|(_, code, name)| code.to_lowercase() == wanted || *name == wanted)
        .map(|(c, code, _)| (code, c))
}
