//! The schedule editor's state as the inputs hold it, and its conversions to and from the
//! [`ScheduleSpec`] the API takes. Dates are edited as wall clocks of the schedule's time zone.

use model::{FileTrigger, MisfirePolicy, OverlapPolicy, ScheduleSpec, validate_dataflow_name};

use super::cron::CronBuilder;
use super::errors::FieldErrors;
use super::params::ParamRows;
use crate::instant::{ZoneOffsets, input_in_zone, instant_in_zone};

/// What starts the schedule's runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerKind {
    Cron,
    Once,
    File,
}

impl TriggerKind {
    pub const ALL: [TriggerKind; 3] = [Self::Cron, Self::Once, Self::File];

    /// The radio button's value and id part.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cron => "cron",
            Self::Once => "once",
            Self::File => "file",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Cron => "On a cron schedule",
            Self::Once => "Once, at a date and time",
            Self::File => "When a file arrives",
        }
    }
}

/// The name the preview is sent with: the preview checks the name, which has nothing to do with
/// fire times and may not be typed yet.
const PREVIEW_NAME: &str = "preview";

/// Every input of the editor. All three triggers keep their inputs, so switching the kind back
/// and forth loses nothing; only the chosen one is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleForm {
    pub name: String,
    pub dataflow: String,
    pub kind: TriggerKind,
    pub cron: String,
    pub builder: CronBuilder,
    /// `datetime-local` text in the schedule's zone.
    pub at: String,
    pub directory: String,
    pub pattern: String,
    pub timezone: String,
    /// `datetime-local` text in the schedule's zone, empty for none.
    pub start_at: String,
    pub end_at: String,
    pub parameters: ParamRows,
    pub enabled: bool,
    pub misfire: MisfirePolicy,
    pub overlap: OverlapPolicy,
}

impl ScheduleForm {
    /// A new schedule: every night at two in `timezone`, with the API's default policies.
    pub fn new(timezone: String) -> Self {
        let builder = CronBuilder::default();
        Self {
            name: String::new(),
            dataflow: String::new(),
            kind: TriggerKind::Cron,
            cron: builder.expression().unwrap_or_default(),
            builder,
            at: String::new(),
            directory: String::new(),
            pattern: "*.csv".into(),
            timezone,
            start_at: String::new(),
            end_at: String::new(),
            parameters: ParamRows::default(),
            enabled: true,
            misfire: MisfirePolicy::default(),
            overlap: OverlapPolicy::default(),
        }
    }

    /// The inputs of a saved schedule; its times shown in its own zone.
    pub fn from_spec(spec: &ScheduleSpec, offsets: ZoneOffsets<'_>) -> Self {
        let zone = spec.timezone.as_str();
        // A time the browser cannot place (unknown zone) is shown as sent rather than lost.
        let input = |time: &Option<String>| {
            time.as_deref()
                .map(|t| input_in_zone(t, zone, offsets).unwrap_or_else(|| t.to_owned()))
                .unwrap_or_default()
        };
        let mut form = Self::new(spec.timezone.clone());
        form.kind = match (&spec.cron, &spec.at, &spec.file) {
            (_, Some(_), _) => TriggerKind::Once,
            (_, _, Some(_)) => TriggerKind::File,
            _ => TriggerKind::Cron,
        };
        if let Some(cron) = &spec.cron {
            form.builder = form.builder.follow(cron);
            form.cron = cron.clone();
        }
        if let Some(FileTrigger { directory, pattern }) = &spec.file {
            (form.directory, form.pattern) = (directory.clone(), pattern.clone());
        }
        Self {
            name: spec.name.clone(),
            dataflow: spec.dataflow.clone(),
            at: input(&spec.at),
            start_at: input(&spec.start_at),
            end_at: input(&spec.end_at),
            parameters: ParamRows::from_parameters(&spec.parameters),
            enabled: spec.enabled,
            misfire: spec.misfire,
            overlap: spec.overlap,
            ..form
        }
    }

    /// The spec to save, or the problems the editor can see without asking the server.
    pub fn to_spec(&self, offsets: ZoneOffsets<'_>) -> Result<ScheduleSpec, FieldErrors> {
        let mut problems = FieldErrors::default();
        let zone = self.timezone.trim();
        let mut instant = |path: &str, text: &str, required: bool| {
            if text.trim().is_empty() {
                if required {
                    problems.add(path, "give a date and a time");
                }
                return None;
            }
            instant_in_zone(text, zone, offsets).map_err(|problem| problems.add(path, problem)).ok()
        };
        let at = (self.kind == TriggerKind::Once).then(|| instant("at", &self.at, true)).flatten();
        let start_at = instant("start_at", &self.start_at, false);
        let end_at = instant("end_at", &self.end_at, false);
        let parameters = self.parameters.to_parameters().unwrap_or_else(|found| {
            found.iter().for_each(|problem| problems.add("parameters", problem));
            Default::default()
        });
        if let Err(problem) = validate_dataflow_name(self.name.trim()) {
            problems.add("name", &problem);
        }
        if self.dataflow.is_empty() {
            problems.add("dataflow", "choose the job or process flow to run");
        }
        let file = FileTrigger {
            directory: self.directory.trim().to_owned(),
            pattern: self.pattern.trim().to_owned(),
        };
        let spec = ScheduleSpec {
            name: self.name.trim().to_owned(),
            dataflow: self.dataflow.clone(),
            cron: (self.kind == TriggerKind::Cron).then(|| self.cron.trim().to_owned()),
            at,
            file: (self.kind == TriggerKind::File).then_some(file),
            timezone: zone.to_owned(),
            parameters,
            enabled: self.enabled,
            start_at,
            end_at,
            misfire: self.misfire,
            overlap: self.overlap,
        };
        if problems.is_empty() { Ok(spec) } else { Err(problems) }
    }

    /// What the live preview sends: the trigger, zone and dates, under a placeholder name. Only
    /// problems the preview would also report stop it.
    pub fn to_preview_spec(&self, offsets: ZoneOffsets<'_>) -> Result<ScheduleSpec, FieldErrors> {
        let draft = Self {
            name: PREVIEW_NAME.into(),
            dataflow: PREVIEW_NAME.into(),
            parameters: ParamRows::default(),
            ..self.clone()
        };
        draft.to_spec(offsets)
    }

    /// After the raw expression was typed: the builder follows it.
    pub fn set_cron(&mut self, expression: String) {
        self.builder = self.builder.follow(&expression);
        self.cron = expression;
    }

    /// After a builder input changed: the expression follows it (a custom one is left alone).
    pub fn set_builder(&mut self, builder: CronBuilder) {
        self.builder = builder;
        if let Some(expression) = builder.expression() {
            self.cron = expression;
        }
    }
}

/// The misfire policies with what each does, for the select and its hint.
pub const MISFIRE_CHOICES: [(MisfirePolicy, &str, &str); 3] = [
    (MisfirePolicy::Skip, "skip", "Fire times missed while no node was running are recorded as skipped."),
    (MisfirePolicy::Last, "last", "Of the fire times missed, only the latest runs, once."),
    (MisfirePolicy::All, "all", "Every missed fire time runs, up to the node's catch-up limit."),
];

/// The overlap policies with what each does.
pub const OVERLAP_CHOICES: [(OverlapPolicy, &str, &str); 3] = [
    (OverlapPolicy::Allow, "allow", "A new run starts even while the previous one is still going."),
    (
        OverlapPolicy::Skip,
        "skip",
        "While the previous run is going, the fire time is skipped (and recorded).",
    ),
    (OverlapPolicy::Queue, "queue", "The new run waits until the previous one has ended."),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;
    use crate::instant::tests::paris;
    use crate::schedule::cron::Preset;

    fn saved() -> ScheduleSpec {
        ScheduleSpec {
            name: "nightly-orders".into(),
            dataflow: "orders".into(),
            cron: Some("0 30 2 * * MON-FRI".into()),
            at: None,
            file: None,
            timezone: "Europe/Paris".into(),
            parameters: BTreeMap::from([("region".to_owned(), json!("eu")), ("limit".to_owned(), json!(5))]),
            enabled: false,
            start_at: Some("2026-01-01T00:00:00+01:00".into()),
            end_at: Some("2026-12-31T22:00:00Z".into()),
            misfire: MisfirePolicy::All,
            overlap: OverlapPolicy::Queue,
        }
    }

    #[test]
    fn a_saved_spec_survives_the_form() {
        let form = ScheduleForm::from_spec(&saved(), &paris);
        assert_eq!(form.builder.preset, Preset::Weekdays);
        assert_eq!((form.start_at.as_str(), form.end_at.as_str()), ("2026-01-01T00:00", "2026-12-31T23:00"));
        let spec = form.to_spec(&paris).unwrap();
        assert_eq!(spec.end_at.as_deref(), Some("2026-12-31T23:00:00+01:00"));
        assert_eq!(ScheduleSpec { end_at: saved().end_at, ..spec }, saved());
    }

    #[test]
    fn only_the_chosen_trigger_is_sent() {
        let mut form = ScheduleForm::new("Europe/Paris".into());
        form.name = "once".into();
        form.dataflow = "orders".into();
        form.at = "2026-07-14T22:00".into();
        form.kind = TriggerKind::Once;
        let spec = form.to_spec(&paris).unwrap();
        assert_eq!(
            (spec.cron, spec.at.as_deref(), spec.file),
            (None, Some("2026-07-14T22:00:00+02:00"), None)
        );
        form.kind = TriggerKind::File;
        form.directory = " incoming ".into();
        let spec = form.to_spec(&paris).unwrap();
        assert_eq!(spec.file, Some(FileTrigger { directory: "incoming".into(), pattern: "*.csv".into() }));
        assert_eq!((spec.cron, spec.at), (None, None));
    }

    #[test]
    fn problems_are_found_before_asking_the_server() {
        let mut form = ScheduleForm::new("Mars/Olympus".into());
        form.kind = TriggerKind::Once;
        form.start_at = "2026-01-01T00:00".into();
        let problems = form.to_spec(&paris).unwrap_err();
        assert_eq!(problems.message("at").as_deref(), Some("Give a date and a time."));
        assert_eq!(problems.message("start_at").as_deref(), Some("The time zone is unknown."));
        assert!(problems.message("dataflow").is_some());
        assert_eq!(problems.message("name").as_deref(), Some("Name must not be empty."));
    }

    #[test]
    fn the_preview_needs_no_name_dataflow_or_parameters() {
        let mut form = ScheduleForm::new("UTC".into());
        let id = form.parameters.add();
        form.parameters.set(id, None, Some("orphan".into()));
        let spec = form.to_preview_spec(&paris);
        assert_eq!(spec.map(|s| s.cron), Ok(Some("0 0 2 * * *".into())));
    }

    #[test]
    fn the_builder_and_the_expression_follow_each_other() {
        let mut form = ScheduleForm::new("UTC".into());
        form.set_cron("0 15 7 * * *".into());
        assert_eq!((form.builder.preset, form.builder.hour, form.builder.minute), (Preset::Daily, 7, 15));
        form.set_builder(CronBuilder { preset: Preset::Monthly, day: 3, ..form.builder });
        assert_eq!(form.cron, "0 15 7 3 * *");
        form.set_cron("0 */10 * * * *".into());
        form.set_builder(CronBuilder { hour: 9, ..form.builder });
        assert_eq!(form.cron, "0 */10 * * * *", "a custom expression is left alone");
    }
}
