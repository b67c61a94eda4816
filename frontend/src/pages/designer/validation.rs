//! The server's full validation, debounced: about 400 ms after the last edit the document is
//! sent to `POST /dataflows/validate`; its port schemas feed the field pickers and the problems
//! only it can find (expressions, fields, files) join the browser's own on the canvas.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::{CheckState, Ctx};
use crate::api;
use crate::designer::problems::server_only;
use crate::hooks::use_debounced;

/// Quiet time after an edit before the server is asked.
const DEBOUNCE: Duration = Duration::from_millis(400);

pub fn use_server_validation(ctx: Ctx) {
    // Counts document changes; the debounced copy settles once editing pauses.
    let (revision, set_revision) = signal(0u64);
    Effect::new(move |first: Option<()>| {
        ctx.document.track();
        // The document as loaded is checked by the effect below, once.
        if first.is_some() {
            set_revision.update(|r| *r += 1);
        }
    });
    let settled = use_debounced(revision, DEBOUNCE);
    // The newest revision whose answer was applied: an older answer arriving late is dropped.
    let applied = StoredValue::new(0u64);
    Effect::new(move |_| {
        let asked = settled.get();
        let document = ctx.document.get_untracked();
        ctx.check.set(CheckState::Checking);
        spawn_local(async move {
            let result = api::validate_dataflow(&document).await;
            if applied.try_get_value().is_none_or(|newest| newest > asked) {
                return;
            }
            applied.set_value(asked);
            match result {
                Ok(report) => {
                    ctx.server_problems.set(server_only(report.problems, &document));
                    ctx.schemas.set(report.schemas);
                    ctx.check.set(CheckState::Checked);
                }
                Err(error) => ctx.check.set(CheckState::Failed(error.message)),
            }
        });
    });
}
