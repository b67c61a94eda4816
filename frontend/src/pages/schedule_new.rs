//! `/schedules/new`: the editor for a schedule not saved yet, in the viewer's time zone to begin
//! with; saving opens the new schedule's page.
//!
//! Element ids: those of `schedule_editor`.

use leptos::prelude::*;
use model::Schedule;

use super::schedule_editor::ScheduleEditor;
use crate::route::{Route, navigate};
use crate::schedule::ScheduleForm;
use crate::time_zone::viewer_zone;

#[component]
pub fn NewSchedulePage() -> impl IntoView {
    let initial = ScheduleForm::new(viewer_zone().unwrap_or_else(|| "UTC".into()));
    let on_saved = Callback::new(|saved: Schedule| navigate(&Route::Schedule(saved.id)));
    let on_cancel = Callback::new(|()| navigate(&Route::Schedules));
    view! {
        <a class="back" href=Route::Schedules.path()>"← Schedules"</a>
        <h1>"New schedule"</h1>
        <ScheduleEditor initial on_saved on_cancel />
    }
}
