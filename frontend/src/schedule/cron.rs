//! The cron builder: presets that write a six-field expression (`second minute hour day month
//! weekday`), an expression read back into the preset that could have written it, and the short
//! description the schedule list shows.

/// What the builder's preset list offers; `Custom` leaves the raw expression as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    EveryMinute,
    Hourly,
    Daily,
    Weekdays,
    Weekly,
    Monthly,
    Custom,
}

impl Preset {
    pub const ALL: [Preset; 7] = [
        Self::EveryMinute,
        Self::Hourly,
        Self::Daily,
        Self::Weekdays,
        Self::Weekly,
        Self::Monthly,
        Self::Custom,
    ];

    /// The `<option>` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EveryMinute => "every-minute",
            Self::Hourly => "hourly",
            Self::Daily => "daily",
            Self::Weekdays => "weekdays",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
            Self::Custom => "custom",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|preset| preset.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::EveryMinute => "Every minute",
            Self::Hourly => "Every hour",
            Self::Daily => "Every day at…",
            Self::Weekdays => "Monday to Friday at…",
            Self::Weekly => "Once a week on…",
            Self::Monthly => "Once a month on day…",
            Self::Custom => "Custom expression",
        }
    }

    /// Which of the builder's inputs the preset reads.
    pub fn uses(self) -> Uses {
        let at_time = matches!(self, Self::Daily | Self::Weekdays | Self::Weekly | Self::Monthly);
        Uses {
            minute: self == Self::Hourly,
            time: at_time,
            weekday: self == Self::Weekly,
            day: self == Self::Monthly,
        }
    }
}

/// The builder inputs a preset shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uses {
    /// The minute past each hour.
    pub minute: bool,
    /// A time of day (`HH:MM`).
    pub time: bool,
    pub weekday: bool,
    /// A day of the month.
    pub day: bool,
}

/// Cron's weekday names, Sunday first as in cron (0 and 7 are both Sunday), with labels.
pub const WEEKDAYS: [(&str, &str); 7] = [
    ("SUN", "Sunday"),
    ("MON", "Monday"),
    ("TUE", "Tuesday"),
    ("WED", "Wednesday"),
    ("THU", "Thursday"),
    ("FRI", "Friday"),
    ("SAT", "Saturday"),
];

/// The builder's state: a preset and the inputs presets read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CronBuilder {
    pub preset: Preset,
    pub hour: u8,
    pub minute: u8,
    /// Index into [`WEEKDAYS`].
    pub weekday: u8,
    /// 1 to 31 (months without that day are skipped by cron).
    pub day: u8,
}

impl Default for CronBuilder {
    /// Every night at two: a quiet hour for batch jobs.
    fn default() -> Self {
        Self { preset: Preset::Daily, hour: 2, minute: 0, weekday: 1, day: 1 }
    }
}

impl CronBuilder {
    /// The expression of the preset; `None` for [`Preset::Custom`], which writes nothing.
    pub fn expression(&self) -> Option<String> {
        let Self { hour, minute, weekday, day, .. } = *self;
        let weekday_name = WEEKDAYS.get(usize::from(weekday)).map_or("MON", |(name, _)| name);
        Some(match self.preset {
            Preset::EveryMinute => "0 * * * * *".into(),
            Preset::Hourly => format!("0 {minute} * * * *"),
            Preset::Daily => format!("0 {minute} {hour} * * *"),
            Preset::Weekdays => format!("0 {minute} {hour} * * MON-FRI"),
            Preset::Weekly => format!("0 {minute} {hour} * * {weekday_name}"),
            Preset::Monthly => format!("0 {minute} {hour} {day} * *"),
            Preset::Custom => return None,
        })
    }

    /// The builder after the raw expression was typed: the preset that writes it when there is
    /// one, else `Custom` with the other inputs kept.
    pub fn follow(self, expression: &str) -> Self {
        recognize(expression).unwrap_or(Self { preset: Preset::Custom, ..self })
    }
}

/// The preset that would write `expression` (five or six fields), with its inputs.
pub fn recognize(expression: &str) -> Option<CronBuilder> {
    let mut fields: Vec<&str> = expression.split_whitespace().collect();
    if fields.len() == 5 {
        fields.insert(0, "0");
    }
    let [second, minute, hour, day, month, weekday] = fields.as_slice() else {
        return None;
    };
    if number(second, 59) != Some(0) || *month != "*" {
        return None;
    }
    let base = CronBuilder::default();
    let stars = (*minute, *hour, *day, *weekday);
    if stars == ("*", "*", "*", "*") {
        return Some(CronBuilder { preset: Preset::EveryMinute, ..base });
    }
    let minute = number(minute, 59)?;
    if (*hour, *day, *weekday) == ("*", "*", "*") {
        return Some(CronBuilder { preset: Preset::Hourly, minute, ..base });
    }
    let at = CronBuilder { hour: number(hour, 23)?, minute, ..base };
    match (*day, *weekday) {
        ("*", "*") => Some(CronBuilder { preset: Preset::Daily, ..at }),
        ("*", days) if is_monday_to_friday(days) => Some(CronBuilder { preset: Preset::Weekdays, ..at }),
        ("*", one) => Some(CronBuilder { preset: Preset::Weekly, weekday: weekday_index(one)?, ..at }),
        (day, "*") => {
            Some(CronBuilder { preset: Preset::Monthly, day: number(day, 31).filter(|d| *d > 0)?, ..at })
        }
        _ => None,
    }
}

/// What the schedule list says about an expression: the preset in words, else the expression.
pub fn describe(expression: &str) -> String {
    let Some(builder) = recognize(expression) else {
        return format!("cron {}", expression.trim());
    };
    let CronBuilder { hour, minute, weekday, day, .. } = builder;
    let time = clock(hour, minute);
    match builder.preset {
        Preset::EveryMinute => "Every minute".into(),
        Preset::Hourly => format!("Every hour at :{minute:02}"),
        Preset::Daily => format!("Every day at {time}"),
        Preset::Weekdays => format!("Monday to Friday at {time}"),
        Preset::Weekly => {
            let name = WEEKDAYS.get(usize::from(weekday)).map_or("?", |(_, label)| label);
            format!("Every {name} at {time}")
        }
        Preset::Monthly => format!("Day {day} of every month at {time}"),
        Preset::Custom => format!("cron {}", expression.trim()),
    }
}

/// `HH:MM`, as `<input type="time">` shows it.
pub fn clock(hour: u8, minute: u8) -> String {
    format!("{hour:02}:{minute:02}")
}

/// The hour and minute of `HH:MM` (seconds, when the input adds them, are ignored).
pub fn parse_clock(text: &str) -> Option<(u8, u8)> {
    let mut parts = text.trim().split(':');
    let hour = number(parts.next()?, 23)?;
    let minute = number(parts.next()?, 59)?;
    Some((hour, minute))
}

/// A plain number up to `max` (no ranges, lists or steps).
fn number(text: &str, max: u8) -> Option<u8> {
    let valid = !text.is_empty() && text.len() <= 2 && text.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| text.parse().ok()).flatten().filter(|n| *n <= max)
}

fn is_monday_to_friday(weekdays: &str) -> bool {
    weekdays.eq_ignore_ascii_case("MON-FRI") || weekdays == "1-5"
}

/// The [`WEEKDAYS`] index of one weekday, by name or number (7 is Sunday too).
fn weekday_index(text: &str) -> Option<u8> {
    if let Some(index) = WEEKDAYS.iter().position(|(name, _)| name.eq_ignore_ascii_case(text)) {
        return u8::try_from(index).ok();
    }
    number(text, 7).map(|n| n % 7)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder(preset: Preset) -> CronBuilder {
        CronBuilder { preset, hour: 8, minute: 30, weekday: 3, day: 15 }
    }

    #[test]
    fn each_preset_writes_its_expression() {
        let written: Vec<Option<String>> = Preset::ALL.map(|preset| builder(preset).expression()).into();
        let expected = [
            Some("0 * * * * *"),
            Some("0 30 * * * *"),
            Some("0 30 8 * * *"),
            Some("0 30 8 * * MON-FRI"),
            Some("0 30 8 * * WED"),
            Some("0 30 8 15 * *"),
            None,
        ];
        assert_eq!(written, expected.map(|e| e.map(str::to_owned)));
    }

    #[test]
    fn what_a_preset_wrote_reads_back_as_that_preset() {
        for preset in Preset::ALL.into_iter().filter(|p| *p != Preset::Custom) {
            let written = builder(preset).expression().unwrap();
            let read = recognize(&written).unwrap();
            assert_eq!(read.preset, preset, "{written}");
            assert_eq!(read.expression().as_deref(), Some(written.as_str()));
        }
    }

    #[test]
    fn five_fields_numbers_and_names_are_recognized() {
        assert_eq!(recognize("* * * * *").map(|b| b.preset), Some(Preset::EveryMinute));
        assert_eq!(
            recognize("15 6 * * 1-5").map(|b| (b.preset, b.hour, b.minute)),
            Some((Preset::Weekdays, 6, 15))
        );
        assert_eq!(recognize("0 0 9 * * 7").map(|b| (b.preset, b.weekday)), Some((Preset::Weekly, 0)));
        assert_eq!(recognize("0 0 9 * * sat").map(|b| (b.preset, b.weekday)), Some((Preset::Weekly, 6)));
    }

    #[test]
    fn anything_else_is_custom() {
        for expression in
            ["0 */5 * * * *", "30 0 2 * * *", "0 0 2 * JAN *", "0 0 2 1 * MON", "0 0 2 0 * *", "", "a b c"]
        {
            assert_eq!(recognize(expression), None, "{expression}");
        }
        let kept = builder(Preset::Daily).follow("0 */5 * * * *");
        assert_eq!(kept, CronBuilder { preset: Preset::Custom, ..builder(Preset::Daily) });
        assert_eq!(builder(Preset::Custom).follow("0 5 4 * * *").preset, Preset::Daily);
    }

    #[test]
    fn the_list_describes_expressions_in_words() {
        assert_eq!(describe("0 0 2 * * *"), "Every day at 02:00");
        assert_eq!(describe("0 30 8 * * MON-FRI"), "Monday to Friday at 08:30");
        assert_eq!(describe("0 0 9 * * 1"), "Every Monday at 09:00");
        assert_eq!(describe("0 0 6 1 * *"), "Day 1 of every month at 06:00");
        assert_eq!(describe("0 5 * * * *"), "Every hour at :05");
        assert_eq!(describe(" 0 */5 * * * * "), "cron 0 */5 * * * *");
    }

    #[test]
    fn clock_inputs_read_hours_and_minutes() {
        assert_eq!(parse_clock("08:05"), Some((8, 5)));
        assert_eq!(parse_clock("23:59:30"), Some((23, 59)));
        assert_eq!(parse_clock("24:00"), None);
        assert_eq!(parse_clock(""), None);
        assert_eq!(clock(7, 3), "07:03");
    }
}
