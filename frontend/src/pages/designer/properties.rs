//! The properties tab: for one selected stage its id (renamable) and a form generated from its
//! type's option schema; for an edge where it runs; for several stages what can be done with
//! them; with nothing selected the dataflow's own settings.

use leptos::prelude::*;
use model::{Edge, OptionSpec, Stage};
use serde_json::Value;

use super::editors::{Binding, OptionField};
use super::settings::DataflowSettings;
use super::state::Ctx;
use crate::designer::ids::check_stage_id;
use crate::designer::values::short_value;
use crate::format::sentence;

#[component]
pub fn PropertiesPanel(ctx: Ctx) -> impl IntoView {
    let single = Memo::new(move |_| {
        ctx.selection.with(|s| if s.stages.len() == 1 { s.stages.first().cloned() } else { None })
    });
    let many = Memo::new(move |_| ctx.selection.with(|s| s.stages.len()));
    let edge = Memo::new(move |_| ctx.selection.with(|s| s.edge.clone()));
    move || {
        if let Some(id) = single.get() {
            return view! { <StageProperties ctx id /> }.into_any();
        }
        if let Some(edge) = edge.get() {
            return view! { <EdgeProperties ctx edge /> }.into_any();
        }
        match many.get() {
            0 => view! { <DataflowSettings ctx /> }.into_any(),
            count => view! {
                <h2>{format!("{count} stages selected")}</h2>
                <p class="muted">
                    "Drag one of them to move them all; Delete removes them, Ctrl+C copies them "
                    "with the edges between them."
                </p>
            }
            .into_any(),
        }
    }
}

#[component]
fn StageProperties(ctx: Ctx, id: String) -> impl IntoView {
    let stage = Memo::new({
        let id = id.clone();
        move |_| ctx.document.with(|d| d.stages.iter().find(|s| s.id == id).cloned())
    });
    let Some(Stage { stage_type, .. }) = stage.get_untracked() else {
        return view! { <p class="muted">"This stage no longer exists."</p> }.into_any();
    };
    let spec = ctx.spec(&stage_type);
    let (title, description, module) =
        spec.as_ref().map(|s| (s.title.clone(), s.description.clone(), s.module.clone())).unwrap_or_else(
            || (stage_type.clone(), "This stage type is not in the catalog.".into(), String::new()),
        );
    let options = spec.map(|s| s.options).unwrap_or_default();
    let known: Vec<String> = options.iter().map(|o| o.name.clone()).collect();
    let fields = options
        .into_iter()
        .map(|option| view! { <TopOption ctx stage=id.clone() spec=option /> })
        .collect_view();
    let unknown = move || {
        stage.with(|s| {
            s.as_ref().map(|s| {
                s.options
                    .iter()
                    .filter(|(name, _)| !known.contains(name))
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect::<Vec<_>>()
            })
        })
    };
    let unknown_view = {
        let id = id.clone();
        move || {
            let extra = unknown().unwrap_or_default();
            (!extra.is_empty()).then(|| {
                let rows = extra.into_iter().map(|(name, value)| {
                    let (stage, option) = (id.clone(), name.clone());
                    let remove = move |_| {
                        ctx.edit(|d| d.set_option(&stage, &option, None, None));
                    };
                    view! {
                        <li>
                            <code>{name.clone()}</code> " = " {short_value(&value, 40)} " "
                            <button type="button" class="secondary small" on:click=remove>"Remove"</button>
                        </li>
                    }
                });
                view! {
                    <div class="unknown-options">
                        <h3>"Options this stage type does not know"</h3>
                        <ul>{rows.collect_view()}</ul>
                    </div>
                }
            })
        }
    };
    let module_badge =
        (!module.is_empty() && module != "core").then(|| view! { <span class="badge">{module}</span> });
    view! {
        <div class="stage-properties" data-stage=id.clone()>
            <h2>{title} {module_badge}</h2>
            <p class="muted">{description}</p>
            <RenameField ctx id=id.clone() />
            <form class="prop-form" on:submit=|event| event.prevent_default()>{fields}</form>
            {unknown_view}
        </div>
    }
    .into_any()
}

/// One option of the stage, bound to `stages[id].options[name]`.
#[component]
fn TopOption(ctx: Ctx, stage: String, spec: OptionSpec) -> impl IntoView {
    let name = spec.name.clone();
    let value = Signal::derive({
        let (stage, name) = (stage.clone(), name.clone());
        move || {
            ctx.document
                .with(|d| d.stages.iter().find(|s| s.id == stage).and_then(|s| s.options.get(&name).cloned()))
        }
    });
    let set = Callback::new({
        let (stage, name) = (stage.clone(), name.clone());
        move |(value, typing): (Option<Value>, bool)| {
            // Typing in one field is one undo step until the field is left.
            let key = typing.then(|| format!("{stage}/options.{name}"));
            ctx.edit(|d| d.set_option(&stage, &name, value, key.as_deref()));
        }
    });
    let binding =
        Binding { ctx, stage, dom_id: format!("prop-{name}"), path: format!("options.{name}"), value, set };
    view! { <OptionField binding spec /> }
}

/// The stage id: renamed (edges follow) when Enter is pressed or the field is left.
#[component]
fn RenameField(ctx: Ctx, id: String) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let stored = StoredValue::new(id.clone());
    let rename = move |text: String| {
        let old = stored.get_value();
        let new = text.trim().to_owned();
        if new == old {
            problem.set(None);
            return;
        }
        if let Err(reason) = check_stage_id(&new) {
            problem.set(Some(sentence(&reason)));
            return;
        }
        let renamed = ctx.edit(|d| d.rename_stage(&old, &new)).is_some();
        // A refusal (the id is taken) is also shown under the field.
        let refusal = ctx.notice.with_untracked(|n| n.as_ref().filter(|n| n.error).map(|n| n.text.clone()));
        problem.set(if renamed { None } else { refusal });
    };
    view! {
        <div class="prop-field">
            <label for="prop-stage-id">"Stage id"</label>
            <input
                type="text"
                id="prop-stage-id"
                autocomplete="off"
                spellcheck="false"
                value=id
                aria-describedby="prop-stage-id-problem"
                aria-invalid=move || problem.with(Option::is_some).then_some("true")
                disabled=move || ctx.viewing.get().is_some()
                on:change=move |event| rename(event_target_value(&event))
            />
            <p class="field-problem" id="prop-stage-id-problem">{move || problem.get()}</p>
        </div>
    }
}

#[component]
fn EdgeProperties(ctx: Ctx, edge: Edge) -> impl IntoView {
    let stored = StoredValue::new(edge.clone());
    let remove = move |_| {
        stored.with_value(|edge| ctx.edit(|d| d.delete_edge(edge)));
    };
    view! {
        <h2>"Edge"</h2>
        <p>
            <code>{edge.from.clone()}</code> " → " <code>{edge.to.clone()}</code>
        </p>
        <p class="muted">"Its data is previewed below the canvas."</p>
        <button
            type="button"
            class="secondary"
            id="edge-delete"
            disabled=move || ctx.viewing.get().is_some()
            on:click=remove
        >
            "Delete edge"
        </button>
    }
}
