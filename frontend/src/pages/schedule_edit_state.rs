//! The schedule editor's state: the form, the problems shown by field (the editor's own checks
//! and the server's), the live preview of the next fire times, and saving.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{ErrorCode, Schedule, SchedulePreview};

use super::schedule_editor::focus_later;
use crate::api::{self, ApiError};
use crate::hooks::use_debounced;
use crate::schedule::{FieldErrors, ScheduleForm, input_id, previewed};
use crate::time_zone::offset_seconds;

/// Long enough that typing an expression sends one preview, short enough to feel live.
const PREVIEW_DELAY: Duration = Duration::from_millis(400);

/// Every part a cheap handle, so event handlers take the editor by copy.
#[derive(Debug, Clone, Copy)]
pub struct Editor {
    pub form: RwSignal<ScheduleForm>,
    /// What the server said about the fields: on the last save, and since then on each preview
    /// for the fields the preview checks.
    server: RwSignal<FieldErrors>,
    /// The preview's own problems (a date that is no date), before anything was sent.
    preview_local: RwSignal<FieldErrors>,
    /// Set by the first save: from then on every check of the editor shows, a missing name too.
    submitted: RwSignal<bool>,
    /// The problems to show, by field.
    pub errors: Memo<FieldErrors>,
    pub fire_times: RwSignal<Option<SchedulePreview>>,
    /// A preview that failed for another reason than the fields (network, permissions).
    pub preview_error: RwSignal<Option<ApiError>>,
    pub save_error: RwSignal<Option<ApiError>>,
    pub pending: RwSignal<bool>,
}

impl Editor {
    pub fn new(initial: ScheduleForm) -> Self {
        let form = RwSignal::new(initial);
        let server = RwSignal::new(FieldErrors::default());
        let preview_local = RwSignal::new(FieldErrors::default());
        let submitted = RwSignal::new(false);
        let errors = Memo::new(move |_| {
            let local = if submitted.get() {
                form.with(|form| form.to_spec(&offset_seconds).err().unwrap_or_default())
            } else {
                preview_local.get()
            };
            local.merged(&server.get())
        });
        let editor = Self {
            form,
            server,
            preview_local,
            submitted,
            errors,
            fire_times: RwSignal::new(None),
            preview_error: RwSignal::new(None),
            save_error: RwSignal::new(None),
            pending: RwSignal::new(false),
        };
        editor.follow_with_previews();
        editor
    }

    /// Changes the form. The server's problem with `path` goes: it was about the old value.
    pub fn edit(self, path: &str, change: impl FnOnce(&mut ScheduleForm)) {
        self.form.update(change);
        if self.server.with_untracked(|errors| errors.message(path).is_some()) {
            self.server.update(|errors| errors.clear(path));
        }
    }

    /// One part of the form, changing only when that part does.
    pub fn read<T>(self, part: impl Fn(&ScheduleForm) -> T + Send + Sync + 'static) -> Memo<T>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        Memo::new(move |_| self.form.with(&part))
    }

    /// The problem to show next to the input for `path`.
    pub fn problem(self, path: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || self.errors.with(|errors| errors.message(path)))
    }

    /// `aria-invalid` for the input of `path`.
    pub fn invalid(self, path: &'static str) -> impl Fn() -> Option<&'static str> + Copy {
        move || self.errors.with(|errors| errors.message(path).is_some()).then_some("true")
    }

    /// Whether a save was tried: the problem summary shows from then on.
    pub fn submitted(self) -> bool {
        self.submitted.get()
    }

    /// Sends the form once it has stopped changing to the preview endpoint, and sorts what comes
    /// back into fire times and field problems.
    fn follow_with_previews(self) {
        let draft_now = Memo::new(move |_| self.form.with(|form| form.to_preview_spec(&offset_seconds)));
        let (draft, set_draft) = signal(draft_now.get_untracked());
        Effect::new(move |_| {
            let now = draft_now.get();
            if draft.with_untracked(|sent| *sent != now) {
                set_draft.set(now);
            }
        });
        let settled = use_debounced(draft, PREVIEW_DELAY);
        // Numbers each preview, so that an answer overtaken by a newer preview is dropped.
        let latest = StoredValue::new(0_u64);
        Effect::new(move |_| {
            let this_preview = latest.get_value() + 1;
            latest.set_value(this_preview);
            let spec = match settled.get() {
                Ok(spec) => spec,
                Err(local) => {
                    self.fire_times.set(None);
                    self.preview_local.set(local);
                    self.server.update(|errors| errors.replace_covered(FieldErrors::default(), previewed));
                    return;
                }
            };
            self.preview_local.set(FieldErrors::default());
            spawn_local(async move {
                let result = api::preview_spec(&spec).await;
                if latest.try_get_value() == Some(this_preview) {
                    self.show_preview(result);
                }
            });
        });
    }

    fn show_preview(self, result: Result<SchedulePreview, ApiError>) {
        let fresh = match &result {
            Err(failure) if failure.status == 400 => FieldErrors::from_details(&failure.details),
            _ => FieldErrors::default(),
        };
        self.server.update(|errors| errors.replace_covered(fresh, previewed));
        match result {
            Ok(preview) => {
                self.preview_error.set(None);
                self.fire_times.set(Some(preview));
            }
            Err(failure) => {
                self.fire_times.set(None);
                self.preview_error.set((failure.status != 400).then_some(failure));
            }
        }
    }

    /// Creates the schedule (`id` none) or replaces it; `on_saved` gets the server's answer.
    pub fn save(self, id: Option<String>, on_saved: Callback<Schedule>) {
        self.submitted.set(true);
        self.save_error.set(None);
        let spec = match self.form.with_untracked(|form| form.to_spec(&offset_seconds)) {
            Ok(spec) => spec,
            Err(local) => return focus_first_problem(&local),
        };
        self.pending.set(true);
        spawn_local(async move {
            let result = match &id {
                Some(id) => api::update_schedule(id, &spec).await,
                None => api::create_schedule(&spec).await,
            };
            self.pending.set(false);
            match result {
                Ok(saved) => on_saved.run(saved),
                Err(failure) => {
                    let mut errors = FieldErrors::from_details(&failure.details);
                    if failure.is(ErrorCode::DataflowNotFound) && errors.message("dataflow").is_none() {
                        errors.add("dataflow", &failure.message);
                    }
                    focus_first_problem(&errors);
                    self.server.set(errors);
                    self.save_error.set(Some(failure));
                }
            }
        });
    }
}

/// Takes keyboard focus to the first input with a problem, whose message is right below it.
fn focus_first_problem(errors: &FieldErrors) {
    if let Some(id) = errors.first_field().and_then(input_id) {
        focus_later(id.to_owned());
    }
}
