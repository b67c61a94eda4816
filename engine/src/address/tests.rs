//! Fifty-odd addresses from a dozen countries, each with every part checked by hand.

use super::parse;

/// (line, number, street, unit, city, region, postcode, country)
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const CASES: &[Case] = &[
    // United States
    ("123 Main St, Springfield, IL 62704", "123", "Main St", "", "Springfield", "IL", "62704", "US"),
    (
        "123 Main St Apt 4B, Springfield, IL 62704, USA",
        "123",
        "Main St",
        "Apt 4B",
        "Springfield",
        "IL",
        "62704",
        "US",
    ),
    (
        "1600 Pennsylvania Avenue NW, Washington, DC 20500",
        "1600",
        "Pennsylvania Avenue NW",
        "",
        "Washington",
        "DC",
        "20500",
        "US",
    ),
    (
        "350 Fifth Avenue, Suite 3300, New York, NY 10118",
        "350",
        "Fifth Avenue",
        "Suite 3300",
        "New York",
        "NY",
        "10118",
        "US",
    ),
    (
        "1 Infinite Loop, Cupertino, CA 95014, United States",
        "1",
        "Infinite Loop",
        "",
        "Cupertino",
        "CA",
        "95014",
        "US",
    ),
    (
        "742 Evergreen Terrace, Springfield, OR 97477-1234",
        "742",
        "Evergreen Terrace",
        "",
        "Springfield",
        "OR",
        "97477-1234",
        "US",
    ),
    (
        "200 E Randolph St #5100, Chicago, Illinois 60601",
        "200",
        "E Randolph St",
        "#5100",
        "Chicago",
        "IL",
        "60601",
        "US",
    ),
    ("4059 Mt Lee Dr, Hollywood, CA 90068", "4059", "Mt Lee Dr", "", "Hollywood", "CA", "90068", "US"),
    (
        "221 Baker Rd Unit 7, Austin, TX 78701, U.S.A.",
        "221",
        "Baker Rd",
        "Unit 7",
        "Austin",
        "TX",
        "78701",
        "US",
    ),
    ("10 Downing Rd, Boston, MA 02108", "10", "Downing Rd", "", "Boston", "MA", "02108", "US"),
    (
        "55 Water Street Floor 12, New York, New York 10041",
        "55",
        "Water Street",
        "Floor 12",
        "New York",
        "NY",
        "10041",
        "US",
    ),
    ("3 Lake Shore Dr, Chicago IL 60611", "3", "Lake Shore Dr", "", "Chicago", "IL", "60611", "US"),
    // United Kingdom
    (
        "10 Downing Street, London SW1A 2AA, United Kingdom",
        "10",
        "Downing Street",
        "",
        "London",
        "",
        "SW1A 2AA",
        "GB",
    ),
    ("221B Baker Street, London, NW1 6XE", "221B", "Baker Street", "", "London", "", "NW1 6XE", "GB"),
    ("Flat 3, 45 High Street, Oxford OX1 4AP", "45", "High Street", "Flat 3", "Oxford", "", "OX1 4AP", "GB"),
    (
        "1 Princes Street, Edinburgh EH2 2EQ, Scotland",
        "1",
        "Princes Street",
        "",
        "Edinburgh",
        "",
        "EH2 2EQ",
        "GB",
    ),
    ("12 Queen St, Cardiff CF10 2BU, UK", "12", "Queen St", "", "Cardiff", "", "CF10 2BU", "GB"),
    ("8 Deansgate, Manchester, m3 2bw", "8", "Deansgate", "", "Manchester", "", "M3 2BW", "GB"),
    // Canada
    ("350 Bay St, Toronto, ON M5H 2S6, Canada", "350", "Bay St", "", "Toronto", "ON", "M5H 2S6", "CA"),
    (
        "1055 W Georgia St Suite 1500, Vancouver, BC V6E 3P3",
        "1055",
        "W Georgia St",
        "Suite 1500",
        "Vancouver",
        "BC",
        "V6E 3P3",
        "CA",
    ),
    (
        "1 Rue Notre-Dame Ouest, Montréal, QC H2Y1B5, Canada",
        "1",
        "Rue Notre-Dame Ouest",
        "",
        "Montréal",
        "QC",
        "H2Y 1B5",
        "CA",
    ),
    (
        "10 Main Street, Halifax, Nova Scotia B3J 1A1",
        "10",
        "Main Street",
        "",
        "Halifax",
        "NS",
        "B3J 1A1",
        "CA",
    ),
    // Australia and New Zealand
    ("1 George St, Sydney NSW 2000, Australia", "1", "George St", "", "Sydney", "NSW", "2000", "AU"),
    (
        "Level 5, 120 Collins Street, Melbourne VIC 3000",
        "120",
        "Collins Street",
        "Level 5",
        "Melbourne",
        "VIC",
        "3000",
        "AU",
    ),
    (
        "45 Adelaide St, Brisbane, QLD 4000, Australia",
        "45",
        "Adelaide St",
        "",
        "Brisbane",
        "QLD",
        "4000",
        "AU",
    ),
    ("2 Hay St, Perth, Western Australia 6000", "2", "Hay St", "", "Perth", "WA", "6000", "AU"),
    ("12 Queen Street, Auckland 1010, New Zealand", "12", "Queen Street", "", "Auckland", "", "1010", "NZ"),
    // Germany, Austria, Switzerland
    ("Hauptstraße 5, 10115 Berlin, Germany", "5", "Hauptstraße", "", "Berlin", "", "10115", "DE"),
    (
        "Unter den Linden 77, 10117 Berlin, Deutschland",
        "77",
        "Unter den Linden",
        "",
        "Berlin",
        "",
        "10117",
        "DE",
    ),
    ("Marienplatz 8, 80331 München", "8", "Marienplatz", "", "München", "", "80331", ""),
    ("Königsallee 92a, 40212 Düsseldorf, DE", "92a", "Königsallee", "", "Düsseldorf", "", "40212", "DE"),
    ("Stephansplatz 1, 1010 Wien, Österreich", "1", "Stephansplatz", "", "Wien", "", "1010", "AT"),
    ("Bahnhofstrasse 45, 8001 Zürich, Switzerland", "45", "Bahnhofstrasse", "", "Zürich", "", "8001", "CH"),
    // France, Belgium, Spain, Italy, Portugal
    ("12 rue de Rivoli, 75001 Paris, France", "12", "rue de Rivoli", "", "Paris", "", "75001", "FR"),
    ("5 avenue Anatole France, 75007 Paris", "5", "avenue Anatole France", "", "Paris", "", "75007", ""),
    ("Rue de la Loi 16, 1000 Bruxelles, Belgique", "16", "Rue de la Loi", "", "Bruxelles", "", "1000", "BE"),
    ("Calle de Alcalá 42, 28014 Madrid, España", "42", "Calle de Alcalá", "", "Madrid", "", "28014", "ES"),
    ("Via del Corso 120, 00186 Roma, Italy", "120", "Via del Corso", "", "Roma", "", "00186", "IT"),
    ("Rua Augusta 24, 1100-053 Lisboa, Portugal", "24", "Rua Augusta", "", "Lisboa", "", "1100-053", "PT"),
    // Netherlands and the Nordics
    ("Damrak 1, 1012 LG Amsterdam, Netherlands", "1", "Damrak", "", "Amsterdam", "", "1012 LG", "NL"),
    ("Coolsingel 40, 3011AD Rotterdam", "40", "Coolsingel", "", "Rotterdam", "", "3011 AD", "NL"),
    (
        "Drottninggatan 53, 111 21 Stockholm, Sweden",
        "53",
        "Drottninggatan",
        "",
        "Stockholm",
        "",
        "111 21",
        "SE",
    ),
    ("Karl Johans gate 22, 0159 Oslo, Norway", "22", "Karl Johans gate", "", "Oslo", "", "0159", "NO"),
    ("Strøget 12, 1160 København, Denmark", "12", "Strøget", "", "København", "", "1160", "DK"),
    (
        "Mannerheimintie 10, 00100 Helsinki, Finland",
        "10",
        "Mannerheimintie",
        "",
        "Helsinki",
        "",
        "00100",
        "FI",
    ),
    // Elsewhere
    (
        "ul. Marszałkowska 10, 00-590 Warszawa, Poland",
        "10",
        "ul. Marszałkowska",
        "",
        "Warszawa",
        "",
        "00-590",
        "PL",
    ),
    (
        "Avenida Paulista 1578, São Paulo, 01310-200, Brazil",
        "1578",
        "Avenida Paulista",
        "",
        "São Paulo",
        "",
        "01310-200",
        "BR",
    ),
    ("1-1 Chiyoda, Tokyo 100-8111, Japan", "1-1", "Chiyoda", "", "Tokyo", "", "100-8111", "JP"),
    ("O'Connell Street 10, Dublin, Ireland", "10", "O'Connell Street", "", "Dublin", "", "", "IE"),
    // Sparse lines
    ("Springfield, IL 62704", "", "", "", "Springfield", "IL", "62704", "US"),
    ("10115 Berlin", "", "", "", "Berlin", "", "10115", ""),
    ("42 Wallaby Way", "42", "Wallaby Way", "", "", "", "", ""),
];

fn or_empty(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

#[test]
fn every_part_of_every_address_is_placed() {
    assert!(CASES.len() >= 50, "{} cases", CASES.len());
    let mut failures = Vec::new();
    for (line, number, street, unit, city, region, postcode, country) in CASES {
        let a = parse(line);
        let got = (
            or_empty(&a.number),
            or_empty(&a.street),
            or_empty(&a.unit),
            or_empty(&a.city),
            or_empty(&a.region),
            or_empty(&a.postcode),
            or_empty(&a.country),
        );
        let want = (*number, *street, *unit, *city, *region, *postcode, *country);
        if got != want {
            failures.push(format!("{line}\n   got  {got:?}\n   want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} wrong:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn confidence_follows_how_much_was_found() {
    let full = parse("123 Main St, Springfield, IL 62704, USA");
    assert_eq!(full.confidence, 1.0);
    let street_only = parse("42 Wallaby Way");
    assert_eq!(street_only.confidence, 0.4);
    let nothing = parse("");
    assert_eq!(nothing.confidence, 0.0);
    assert!(parse("somewhere over the rainbow").confidence < 0.5);
}
