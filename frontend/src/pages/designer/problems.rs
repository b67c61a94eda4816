//! The problems panel: every problem the browser and the server found, grouped by stage; a
//! click selects the stage (or edge) it belongs to and brings it into view.

use leptos::prelude::*;

use super::state::{CheckState, Ctx};
use crate::designer::problems::ProblemGroup;

#[component]
pub fn ProblemsPanel(ctx: Ctx) -> impl IntoView {
    let count = Memo::new(move |_| ctx.problems.with(|p| p.count()));
    let list = move || {
        let groups = ctx.problems.get().groups;
        if groups.is_empty() {
            return view! { <p class="muted" id="problems-none">"No problems found."</p> }.into_any();
        }
        let mut number = 0;
        let items = groups
            .into_iter()
            .flat_map(|ProblemGroup { stage, problems }| {
                problems.into_iter().map(move |p| (stage.clone(), p))
            })
            .map(|(stage, problem)| {
                let index = number;
                number += 1;
                let place = match (&stage, &problem.path) {
                    (Some(stage), _) => stage.clone(),
                    (None, Some(path)) => path.clone(),
                    (None, None) => "dataflow".to_owned(),
                };
                let edge = problem.edge;
                let focus = {
                    let stage = stage.clone();
                    move |_| match (&stage, edge) {
                        (Some(id), _) => ctx.focus_stage(id),
                        (None, Some(index)) => {
                            if let Some(edge) = ctx.document.with_untracked(|d| d.edges.get(index).cloned()) {
                                ctx.select(|d| d.select_edge(&edge));
                            }
                        }
                        (None, None) => ctx.select(|d| d.clear_selection()),
                    }
                };
                view! {
                    <li>
                        <button
                            type="button"
                            class="problem"
                            id=format!("problem-{index}")
                            data-stage=stage
                            on:click=focus
                        >
                            <span class="problem-place">{place}</span>
                            <span class="problem-message">{problem.message}</span>
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="problem-list">{items}</ul> }.into_any()
    };
    let server = move || match ctx.check.get() {
        CheckState::Idle => "",
        CheckState::Checking => "Checking with the server…",
        CheckState::Checked => "Checked by the server.",
        CheckState::Failed(_) => {
            "The server could not check the dataflow; only the browser's checks are shown."
        }
    };
    view! {
        <section class="problems-panel" id="problems-panel" aria-labelledby="problems-heading">
            <h2 id="problems-heading">
                "Problems " <span class="count" id="problems-count" class:zero=move || count.get() == 0>{count}</span>
            </h2>
            <p class="muted small" id="server-check" aria-live="polite">{server}</p>
            {list}
        </section>
    }
}
