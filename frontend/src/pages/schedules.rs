//! `/schedules`: what starts jobs without a person pressing a button.

use leptos::prelude::*;

const NO_SCHEDULES: &str = "No schedules yet. A schedule starts a job on a cron expression, at a set time or \
    when a file arrives, and is listed here with its next fire time.";

#[component]
pub fn SchedulesPage() -> impl IntoView {
    view! {
        <h1>"Schedules"</h1>
        <p class="empty" id="schedules-empty">
            {NO_SCHEDULES}
        </p>
    }
}
