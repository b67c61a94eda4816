//! [`Ctx`]: the designer page's state as signals, shared by every panel, and the few operations
//! they all use (edit, select, focus a stage, fit the view, open a version read-only).

use std::collections::BTreeMap;

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{
    Dataflow, DataflowDocument, DataflowSummary, ErrorDetail, FieldSchema, Run, StageSpec, VersionInfo,
};

use crate::api::{self, ApiError, ApiResult};
use crate::designer::run_view::{StageRunState, edge_counts, stage_states};
use crate::designer::{Designer, EditError, Point, Problems, Scene, Selection, Viewport};
use crate::format::sentence;

/// Pixels kept free around the dataflow when fitting it to the canvas.
const FIT_MARGIN: f64 = 40.0;

/// The newest saved version as the server knows it: what "unsaved changes" compare against.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub summary: DataflowSummary,
    pub etag: String,
    pub document: DataflowDocument,
}

impl From<Dataflow> for Saved {
    fn from(dataflow: Dataflow) -> Self {
        Self { summary: dataflow.summary, etag: dataflow.etag, document: dataflow.document }
    }
}

/// A line in the toolbar's status area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Self {
        Self { text: text.into(), error: false }
    }

    pub fn error(text: impl Into<String>) -> Self {
        Self { text: text.into(), error: true }
    }
}

/// Where the server's debounced validation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckState {
    Idle,
    Checking,
    Checked,
    Failed(String),
}

/// The side panel's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Properties,
    Versions,
    Run,
}

/// Everything the designer's parts share. Cheap to copy: signals and handles only.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub name: StoredValue<String>,
    pub catalog: StoredValue<Vec<StageSpec>>,
    pub designer: RwSignal<Designer>,
    pub document: Memo<DataflowDocument>,
    pub selection: Memo<Selection>,
    pub scene: Memo<Scene>,
    pub problems: Memo<Problems>,
    /// Problems only the server finds, from its newest answer.
    pub server_problems: RwSignal<Vec<ErrorDetail>>,
    /// Fields on every port, by `stage.port`, from the server's newest answer.
    pub schemas: RwSignal<BTreeMap<String, Vec<FieldSchema>>>,
    pub check: RwSignal<CheckState>,
    pub saved: RwSignal<Saved>,
    /// Unsaved changes, whether shown or put aside while an old version is open.
    pub dirty: Memo<bool>,
    /// The old version shown read-only, if any.
    pub viewing: RwSignal<Option<i32>>,
    /// The editing session put aside while an old version is shown.
    pub stash: RwSignal<Option<Designer>>,
    pub versions: RwSignal<Option<ApiResult<Vec<VersionInfo>>>>,
    pub viewport: RwSignal<Viewport>,
    /// While stages are dragged: the world offset they are drawn at (applied on release).
    pub drag_offset: RwSignal<Option<(f64, f64)>>,
    /// Space is held over the canvas: drags pan.
    pub space: RwSignal<bool>,
    pub notice: RwSignal<Option<Notice>>,
    pub tab: RwSignal<Tab>,
    /// The run started from the designer, as last polled.
    pub run: RwSignal<Option<Run>>,
    pub run_states: Memo<BTreeMap<String, StageRunState>>,
    pub edge_counts: Memo<Vec<Option<u64>>>,
    pub clipboard: StoredValue<Option<String>>,
    pub canvas: NodeRef<Div>,
    /// The comment the next save carries.
    pub comment: RwSignal<String>,
    pub saving: RwSignal<bool>,
    pub save_error: RwSignal<Option<ApiError>>,
    /// Someone saved since this session's version was read: the conflict dialog is open.
    pub conflict: RwSignal<bool>,
}

impl Ctx {
    pub fn new(dataflow: Dataflow, catalog: Vec<StageSpec>) -> Self {
        let name = StoredValue::new(dataflow.summary.name.clone());
        let designer = RwSignal::new(Designer::new(dataflow.document.clone()));
        let document = Memo::new(move |_| designer.with(|d| d.document().clone()));
        let selection = Memo::new(move |_| designer.with(|d| d.selection().clone()));
        let scene = Memo::new(move |_| document.with(Scene::new));
        let server_problems = RwSignal::new(Vec::new());
        let problems =
            Memo::new(move |_| server_problems.with(|extra| document.with(|doc| Problems::live(doc, extra))));
        let saved = RwSignal::new(Saved::from(dataflow));
        let stash = RwSignal::new(None::<Designer>);
        let dirty = Memo::new(move |_| {
            saved.with(|saved| {
                stash.with(|stash| match stash {
                    Some(editing) => *editing.document() != saved.document,
                    None => document.with(|doc| *doc != saved.document),
                })
            })
        });
        let run = RwSignal::new(None::<Run>);
        let run_states = Memo::new(move |_| {
            run.with(|run| run.as_ref().map(|r| document.with(|d| stage_states(d, r))).unwrap_or_default())
        });
        let edge_counts = Memo::new(move |_| {
            run.with(|run| run.as_ref().map(|r| document.with(|d| edge_counts(d, r))).unwrap_or_default())
        });
        Self {
            name,
            catalog: StoredValue::new(catalog),
            designer,
            document,
            selection,
            scene,
            problems,
            server_problems,
            schemas: RwSignal::new(BTreeMap::new()),
            check: RwSignal::new(CheckState::Idle),
            saved,
            dirty,
            viewing: RwSignal::new(None),
            stash,
            versions: RwSignal::new(None),
            viewport: RwSignal::new(Viewport::default()),
            drag_offset: RwSignal::new(None),
            space: RwSignal::new(false),
            notice: RwSignal::new(None),
            tab: RwSignal::new(Tab::Properties),
            run,
            run_states,
            edge_counts,
            clipboard: StoredValue::new(None),
            canvas: NodeRef::new(),
            comment: RwSignal::new(String::new()),
            saving: RwSignal::new(false),
            save_error: RwSignal::new(None),
            conflict: RwSignal::new(false),
        }
    }

    /// The page is still on screen: async work finishing later checks this before touching it.
    pub fn alive(&self) -> bool {
        !self.designer.is_disposed()
    }

    pub fn name(&self) -> String {
        self.name.try_get_value().unwrap_or_default()
    }

    /// The catalog entry of `stage_type`.
    pub fn spec(&self, stage_type: &str) -> Option<StageSpec> {
        self.catalog.with_value(|c| c.iter().find(|s| s.stage_type == stage_type).cloned())
    }

    /// An old version is shown: nothing may change it.
    pub fn read_only(&self) -> bool {
        self.viewing.try_with_untracked(Option::is_some).unwrap_or(true)
    }

    /// Runs one edit of the document. A refusal (or an attempt on a read-only version) is
    /// shown in the status line and changes nothing; success clears an error shown there.
    pub fn edit<T>(&self, edit: impl FnOnce(&mut Designer) -> Result<T, EditError>) -> Option<T> {
        if !self.alive() {
            return None;
        }
        if self.read_only() {
            self.notice.set(Some(Notice::error(
                "This is an old version, shown read-only. Choose “Back to editing” to change the dataflow.",
            )));
            return None;
        }
        let result = self.designer.try_maybe_update(|designer| {
            let result = edit(designer);
            (result.is_ok(), result)
        })?;
        match result {
            Ok(value) => {
                if self.notice.with_untracked(|n| n.as_ref().is_some_and(|n| n.error)) {
                    self.notice.set(None);
                }
                Some(value)
            }
            Err(error) => {
                self.notice.set(Some(Notice::error(sentence(&error.to_string()))));
                None
            }
        }
    }

    /// Changes what is selected (allowed on read-only versions too).
    pub fn select(&self, change: impl FnOnce(&mut Designer)) {
        self.designer.update(change);
    }

    pub fn undo(&self) {
        if !self.read_only() {
            self.designer.maybe_update(Designer::undo);
        }
    }

    pub fn redo(&self) {
        if !self.read_only() {
            self.designer.maybe_update(Designer::redo);
        }
    }

    /// Ends a drag or a typing burst: the next edit is a new undo step.
    pub fn end_gesture(&self) {
        self.designer.update_untracked(Designer::end_gesture);
    }

    /// The canvas's size in CSS pixels (a guess before it is on screen).
    pub fn canvas_size(&self) -> (f64, f64) {
        self.canvas
            .get_untracked()
            .map(|el| {
                let rect = el.get_bounding_client_rect();
                (rect.width(), rect.height())
            })
            .filter(|(w, h)| *w > 0.0 && *h > 0.0)
            .unwrap_or((800.0, 500.0))
    }

    /// The world point at the centre of the canvas.
    pub fn view_center(&self) -> Point {
        let (width, height) = self.canvas_size();
        self.viewport.get_untracked().to_world(Point::new(width / 2.0, height / 2.0))
    }

    /// Shows the whole dataflow.
    pub fn fit(&self) {
        let (width, height) = self.canvas_size();
        if let Some(bounds) = self.scene.with_untracked(Scene::bounds) {
            self.viewport.set(Viewport::fit(&bounds, width, height, FIT_MARGIN));
        } else {
            self.viewport.set(Viewport::default());
        }
    }

    /// Selects stage `id` alone and brings it to the middle of the canvas.
    pub fn focus_stage(&self, id: &str) {
        self.select(|d| d.select(id, false));
        let center = self.scene.with_untracked(|s| s.stage(id).map(|b| b.rect.center()));
        if let Some(center) = center {
            let (width, height) = self.canvas_size();
            self.viewport.update(|v| *v = v.centered_on(center, width, height));
        }
        self.tab.set(Tab::Properties);
    }

    /// Reloads the versions list.
    pub fn refresh_versions(&self) {
        let (name, versions) = (self.name(), self.versions);
        spawn_local(async move {
            let result = api::list_versions(&name).await.map(|page| {
                let mut items = page.items;
                items.sort_by_key(|v| std::cmp::Reverse(v.version));
                items
            });
            versions.try_set(Some(result));
        });
    }

    /// Shows version `number` read-only, keeping the editing session aside.
    pub fn open_version(&self, number: i32, document: DataflowDocument) {
        if !self.alive() {
            return;
        }
        if self.stash.with_untracked(Option::is_none) {
            self.stash.set(Some(self.designer.get_untracked()));
        }
        self.designer.set(Designer::new(document));
        self.viewing.set(Some(number));
        self.fit();
    }

    /// Leaves a read-only version: the editing session comes back as it was.
    pub fn back_to_editing(&self) {
        if let Some(editing) = self.stash.try_update(Option::take).flatten() {
            self.designer.set(editing);
        }
        self.viewing.set(None);
        // A refusal shown while the old version was open ("shown read-only") no longer holds.
        if self.notice.with_untracked(|n| n.as_ref().is_some_and(|n| n.error)) {
            self.notice.set(None);
        }
        self.fit();
    }

    /// Leaves a read-only version and makes its document the working copy, as one undoable edit.
    pub fn restore_viewed(&self) {
        let old = self.designer.with_untracked(|d| d.document().clone());
        let number = self.viewing.get_untracked();
        self.back_to_editing();
        let name = self.name();
        if self.edit(|d| d.replace_document(model::DataflowDocument { name, ..old })).is_some() {
            let version = number.map_or_else(String::new, |n| format!(" {n}"));
            self.notice.set(Some(Notice::info(format!(
                "Version{version} is now the working copy; save to make it the newest version."
            ))));
        }
    }
}
