//! `/dataflows/{name}/design`: the dataflow designer. It loads the dataflow (document and ETag)
//! and the stage catalog, then lays out the palette, the SVG canvas, the side panel (properties,
//! versions, run), the problems and the edge preview, all over one [`Ctx`](state::Ctx) whose
//! document lives in a DOM-free [`crate::designer::Designer`].
//!
//! # Mouse and keyboard
//! Drag the background (or anything with Space held) to pan, wheel to zoom about the pointer,
//! Shift-drag the background for a rubber band, click / Shift-click stages, drag them to move
//! (one undo step per drag), drag from a port to a port or onto a box to connect, click an edge
//! to preview its data. Keys (outside text fields): Delete / Backspace, Ctrl+C / Ctrl+X /
//! Ctrl+V, Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, Ctrl+A, Ctrl+S, arrows nudge by 1 (Shift: 10), `[` / `]`
//! select the previous / next stage, Escape clears the selection; with the canvas focused `+`
//! / `-` zoom and `0` fits. Palette entries add a stage at the centre on click or Enter (or
//! where they are dropped).
//!
//! # Element ids for browser tests
//! - Page: `designer-page`, `designer-title`, `designer-version` (newest / exposed version),
//!   `designer-dirty` (shown with unsaved changes), `designer-status` (last message),
//!   `designer-loading`, `designer-error`.
//! - Toolbar: `designer-undo`, `designer-redo`, `designer-delete`, `designer-copy`,
//!   `designer-paste`, `designer-layout`, `designer-fit`, `designer-zoom-in`,
//!   `designer-zoom-out`, `designer-zoom` (percent), `designer-export`, `designer-import` (the
//!   file input itself), `import-error`, `save-comment`, `designer-save`, `save-error`.
//! - Palette: `palette-search`, `palette-item-{type}` (`data-stage-type`), `palette-empty`.
//! - Canvas: `designer-canvas` (focusable, takes the pointer), `stage-{id}` (`data-stage`,
//!   `data-run-state`, class `selected` / `has-problems`), `stage-problems-{id}` (the count
//!   badge), `port-{stage}-{in|out}-{port}` (`data-port`, `data-direction`), `edge-{index}` (`data-edge`,
//!   `data-from`, `data-to`, class `selected`), `edge-count-{index}` (live rows), `canvas-empty`.
//!   After the first render `window.__designerRenderMs` holds its duration when the address has
//!   `?perf=1`, and after each stage drag `window.__designerDragMs` the mean time from pointer
//!   move to the next frame.
//! - Side panel tabs: `tab-properties`, `tab-versions`, `tab-run`; panels `panel-properties`,
//!   `panel-versions`, `panel-run`.
//! - Properties: `prop-stage-id` (rename on Enter / leaving the field), `prop-{option}` per
//!   option (list items `prop-{option}-{i}-{field}`, add buttons `prop-{option}-add`, map rows
//!   `prop-{option}-key-{i}` / `prop-{option}-value-{i}`), `prop-{option}-problem`;
//!   with an edge selected `edge-delete`; with nothing selected `dataflow-description`,
//!   `param-add`, `param-name-{i}`, `param-type-{i}`, `param-default-{i}`.
//! - Problems: `problems-panel`, `problems-count`, `problem-{i}` (buttons, `data-stage`),
//!   `server-check` (the server's validation state).
//! - Preview: `preview-panel`, `preview-grid` (table), `preview-refresh`.
//! - Versions: `versions-list` (`li[data-version]`), `version-open-{n}`, `version-expose-{n}`,
//!   `diff-from`, `diff-to`, `diff-show`, `version-diff`, `viewing-banner`, `version-back`,
//!   `version-restore`.
//! - Run: `run-param-{name}`, `designer-run`, `run-warning`, `run-expose` (expose the newest
//!   version), `run-status` (`data-status`), `run-outcome`, `run-link`, `run-clear`.
//! - Conflict on save: `conflict-dialog`, `conflict-reload`, `conflict-overwrite`,
//!   `conflict-cancel`.

mod canvas;
mod edge_view;
mod editors;
mod fields;
mod keys;
mod list_editors;
mod palette;
mod perf;
mod preview;
mod problems;
mod properties;
mod run;
mod save;
mod settings;
mod side;
mod stage_view;
mod state;
mod toolbar;
mod transfer;
mod validation;
mod version_diff;
mod versions;

use leptos::prelude::*;
use model::{Dataflow, StageSpec};

use crate::api;
use crate::components::ErrorAlert;
use state::{Ctx, Notice};

#[component]
pub fn DesignerPage(name: String) -> impl IntoView {
    let dataflow = LocalResource::new({
        let name = name.clone();
        move || {
            let name = name.clone();
            async move { api::get_dataflow(&name).await }
        }
    });
    let catalog = LocalResource::new(api::list_stages);
    let back = format!("/dataflows/{}", crate::percent::encode_segment(&name));
    view! {
        {move || match (dataflow.get(), catalog.get()) {
            (Some(Err(error)), _) => {
                let not_found = error.is_not_found();
                view! {
                    <a class="back" href="/dataflows">"← Dataflows"</a>
                    <h1>{if not_found { "Dataflow not found" } else { "Designer" }}</h1>
                    <ErrorAlert error=Some(error) id="designer-error" />
                }
                    .into_any()
            }
            (Some(Ok(dataflow)), Some(catalog)) => {
                // Without the server's catalog the built-in one still draws every core stage.
                let (catalog, fallback) = match catalog {
                    Ok(catalog) => (catalog, false),
                    Err(_) => (model::catalog(), true),
                };
                view! { <Designer dataflow catalog fallback /> }.into_any()
            }
            _ => {
                view! {
                    <a class="back" href=back.clone()>"← Dataflow"</a>
                    <p class="muted" id="designer-loading" aria-live="polite">"Loading the designer…"</p>
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn Designer(dataflow: Dataflow, catalog: Vec<StageSpec>, fallback: bool) -> impl IntoView {
    let started = perf::now();
    let ctx = Ctx::new(dataflow, catalog);
    if fallback {
        ctx.notice
            .set(Some(Notice::error("The stage catalog could not be loaded; the built-in one is shown.")));
    }
    validation::use_server_validation(ctx);
    ctx.refresh_versions();
    keys::warn_before_leaving(ctx);
    keys::use_shortcuts(ctx);
    let detail = format!("/dataflows/{}", crate::percent::encode_segment(&ctx.name()));
    view! {
        <div class="designer-page" id="designer-page">
            <header class="designer-header">
                <a class="back" href=detail>"← Dataflow"</a>
                <h1 id="designer-title">{ctx.name()}</h1>
                <span class="badge">{move || ctx.document.with(|d| d.kind.as_str())}</span>
                <VersionFacts ctx />
                <span class="dirty" id="designer-dirty" hidden=move || !ctx.dirty.get()>
                    "Unsaved changes"
                </span>
                <toolbar::StatusLine ctx />
            </header>
            <toolbar::Toolbar ctx />
            <versions::ViewingBanner ctx />
            <div class="designer-body">
                <palette::Palette ctx />
                <canvas::Canvas ctx started />
                <side::SidePanel ctx />
                <div class="designer-dock">
                    <problems::ProblemsPanel ctx />
                    <preview::PreviewPanel ctx />
                </div>
            </div>
            <save::ConflictDialog ctx />
            <keys::ShortcutsHelp />
        </div>
    }
}

#[component]
fn VersionFacts(ctx: Ctx) -> impl IntoView {
    let text = move || {
        ctx.saved.with(|saved| {
            let exposed = saved
                .summary
                .exposed_version
                .map_or_else(|| "none exposed".to_owned(), |v| format!("v{v} exposed"));
            format!("v{} saved · {exposed}", saved.summary.version)
        })
    };
    view! {
        <span class="muted" id="designer-version">
            {text}
        </span>
    }
}
