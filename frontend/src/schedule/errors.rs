//! Problems by field: the server's `details[].path` (and the editor's own checks) sorted to the
//! input they concern, the rest kept for a list above the buttons.

use std::collections::BTreeMap;

use model::ErrorDetail;

use crate::format::sentence;

/// The paths the editor shows next to an input.
pub const FIELD_PATHS: [&str; 10] = [
    "name",
    "dataflow",
    "timezone",
    "cron",
    "at",
    "file.directory",
    "file.pattern",
    "start_at",
    "end_at",
    "parameters",
];

/// The id of the editor's input for a path of [`FIELD_PATHS`] (the parameters' Add button for
/// `parameters`): where focus goes after a failed save.
pub fn input_id(path: &str) -> Option<&'static str> {
    Some(match path {
        "name" => "schedule-name",
        "dataflow" => "schedule-dataflow",
        "timezone" => "schedule-timezone",
        "cron" => "schedule-cron",
        "at" => "schedule-at",
        "file.directory" => "schedule-file-directory",
        "file.pattern" => "schedule-file-pattern",
        "start_at" => "schedule-start-at",
        "end_at" => "schedule-end-at",
        "parameters" => "schedule-param-add",
        _ => return None,
    })
}

/// Whether the preview endpoint checks `path`: it reads the trigger, the zone and the dates, not
/// the name (a placeholder is sent) nor the dataflow.
pub fn previewed(path: &str) -> bool {
    !matches!(path, "name" | "dataflow" | "parameters")
}

/// Messages by path; a problem without a path is kept under `""`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn from_details(details: &[ErrorDetail]) -> Self {
        let mut errors = Self::default();
        for detail in details {
            // The dataflow checks name stages; a schedule's details name fields.
            let path = detail.path.clone().or_else(|| detail.stage.clone()).unwrap_or_default();
            errors.add(&path, &detail.message);
        }
        errors
    }

    pub fn add(&mut self, path: &str, message: &str) {
        self.0.entry(normalize(path).to_owned()).or_default().push(sentence(message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What to show next to the input for `path`.
    pub fn message(&self, path: &str) -> Option<String> {
        self.0.get(path).map(|messages| messages.join(" "))
    }

    /// The problems no input shows, as lines for a list.
    pub fn others(&self) -> Vec<String> {
        self.0
            .iter()
            .filter(|(path, _)| !FIELD_PATHS.contains(&path.as_str()))
            .flat_map(|(path, messages)| {
                messages.iter().map(move |m| if path.is_empty() { m.clone() } else { format!("{path}: {m}") })
            })
            .collect()
    }

    /// The first field with a problem, in the order the editor shows them.
    pub fn first_field(&self) -> Option<&'static str> {
        FIELD_PATHS.into_iter().find(|path| self.0.contains_key(*path))
    }

    pub fn clear(&mut self, path: &str) {
        self.0.remove(path);
    }

    /// Replaces the problems of the paths `covered` says `fresh` speaks for with those of
    /// `fresh`, keeping the others.
    pub fn replace_covered(&mut self, fresh: FieldErrors, covered: impl Fn(&str) -> bool) {
        self.0.retain(|path, _| !covered(path));
        for (path, messages) in fresh.0.into_iter().filter(|(path, _)| covered(path)) {
            self.0.entry(path).or_default().extend(messages);
        }
    }

    /// Both sets; `self`'s message first where both have one.
    pub fn merged(&self, other: &FieldErrors) -> FieldErrors {
        let mut merged = self.clone();
        for (path, messages) in &other.0 {
            let entry = merged.0.entry(path.clone()).or_default();
            entry.extend(messages.iter().filter(|m| !entry.contains(m)).cloned().collect::<Vec<_>>());
        }
        merged
    }
}

/// Parameter problems name the parameter (`parameters.region`); they are shown under the table.
fn normalize(path: &str) -> &str {
    if path.starts_with("parameters.") { "parameters" } else { path }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(path: Option<&str>, message: &str) -> ErrorDetail {
        ErrorDetail { stage: None, path: path.map(str::to_owned), message: message.to_owned() }
    }

    #[test]
    fn details_are_sorted_to_their_fields() {
        let errors = FieldErrors::from_details(&[
            detail(Some("cron"), "expected 5 or 6 fields"),
            detail(Some("file.pattern"), "not a glob pattern"),
            detail(Some("cron"), "bad minute"),
            detail(Some("parameters.region"), "unknown parameter"),
        ]);
        assert_eq!(errors.message("cron").as_deref(), Some("Expected 5 or 6 fields. Bad minute."));
        assert_eq!(errors.message("file.pattern").as_deref(), Some("Not a glob pattern."));
        assert_eq!(errors.message("parameters").as_deref(), Some("Unknown parameter."));
        assert_eq!(errors.message("name"), None);
        assert!(errors.others().is_empty());
    }

    #[test]
    fn focus_goes_to_the_first_field_shown_with_a_problem() {
        let errors = FieldErrors::from_details(&[detail(Some("end_at"), "x"), detail(Some("cron"), "y")]);
        assert_eq!(errors.first_field(), Some("cron"));
        assert_eq!(errors.first_field().and_then(input_id), Some("schedule-cron"));
        assert_eq!(FieldErrors::from_details(&[detail(None, "z")]).first_field(), None);
        assert!(FIELD_PATHS.iter().all(|path| input_id(path).is_some()));
    }

    #[test]
    fn problems_without_a_field_are_listed_apart() {
        let errors = FieldErrors::from_details(&[
            detail(None, "schedule limit reached"),
            detail(Some("owner"), "gone"),
        ]);
        assert_eq!(errors.others(), ["Schedule limit reached.", "owner: Gone."]);
    }

    #[test]
    fn a_fresh_preview_replaces_only_what_it_checks() {
        let mut shown =
            FieldErrors::from_details(&[detail(Some("name"), "taken"), detail(Some("cron"), "bad")]);
        shown.replace_covered(FieldErrors::default(), previewed);
        assert_eq!(shown.message("name").as_deref(), Some("Taken."));
        assert_eq!(shown.message("cron"), None);
        let fresh =
            FieldErrors::from_details(&[detail(Some("timezone"), "unknown"), detail(Some("name"), "x")]);
        shown.replace_covered(fresh, previewed);
        assert_eq!(shown.message("timezone").as_deref(), Some("Unknown."));
        assert_eq!(shown.message("name").as_deref(), Some("Taken."), "the preview's name is a placeholder");
        shown.clear("name");
        assert_eq!(shown.message("name"), None);
    }

    #[test]
    fn merging_keeps_each_message_once() {
        let local = FieldErrors::from_details(&[detail(Some("at"), "give a date and a time")]);
        let server = FieldErrors::from_details(&[
            detail(Some("at"), "give a date and a time"),
            detail(Some("name"), "taken"),
        ]);
        let merged = local.merged(&server);
        assert_eq!(merged.message("at").as_deref(), Some("Give a date and a time."));
        assert_eq!(merged.message("name").as_deref(), Some("Taken."));
    }
}
