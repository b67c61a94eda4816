//! `Designer`: the document being edited, what is selected, and every edit the canvas can make,
//! each checked (a refused edit changes nothing) and recorded for undo.

use std::collections::BTreeSet;

use model::{DataflowDocument, Edge, EdgeEnd, Position, Stage, stage_ports};
use serde_json::Value;

use super::connect::check_connect;
use super::error::EditError;
use super::history::History;
use super::ids::{check_stage_id, fresh_stage_id};
use super::{clipboard, layout};

/// What is selected: any number of stages, and at most one edge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub stages: BTreeSet<String>,
    pub edge: Option<Edge>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty() && self.edge.is_none()
    }

    pub fn contains(&self, stage: &str) -> bool {
        self.stages.contains(stage)
    }

    /// Drops what no longer exists in `doc`.
    fn retain_existing(&mut self, doc: &DataflowDocument) {
        self.stages.retain(|id| doc.stages.iter().any(|s| &s.id == id));
        if self.edge.as_ref().is_some_and(|e| !doc.edges.contains(e)) {
            self.edge = None;
        }
    }
}

/// What undo puts back: the document and what was selected then.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    document: DataflowDocument,
    selection: Selection,
}

/// The designer's state. Edits go through methods that return `Err` (leaving everything as it
/// was) when refused; each successful edit that changes the document is one undo step.
#[derive(Debug, Clone)]
pub struct Designer {
    document: DataflowDocument,
    selection: Selection,
    history: History<Snapshot>,
}

impl Designer {
    pub fn new(document: DataflowDocument) -> Self {
        Self { document, selection: Selection::default(), history: History::default() }
    }

    pub fn document(&self) -> &DataflowDocument {
        &self.document
    }

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// Opens another document (or version): selection and history start afresh.
    pub fn load(&mut self, document: DataflowDocument) {
        *self = Self::new(document);
    }

    /// Runs `edit` on a copy of the document and selection; on success the copy replaces them
    /// and, if the document changed, the previous state becomes an undo step (joining the
    /// newest one when `coalesce` matches its key, see [`History::record`]). The canvas uses it
    /// for edits without a method of their own (description, parameters).
    pub fn apply<F>(&mut self, coalesce: Option<&str>, edit: F) -> Result<(), EditError>
    where
        F: FnOnce(&mut DataflowDocument, &mut Selection) -> Result<(), EditError>,
    {
        let mut document = self.document.clone();
        let mut selection = self.selection.clone();
        edit(&mut document, &mut selection)?;
        selection.retain_existing(&document);
        if document != self.document {
            let before = Snapshot {
                document: std::mem::replace(&mut self.document, document),
                selection: self.selection.clone(),
            };
            self.history.record(before, coalesce);
        }
        self.selection = selection;
        Ok(())
    }

    /// Adds a stage of `stage_type` with its box's top-left at `at`, selects it alone, and
    /// returns its id (the type's name, then `_2`, `_3`, … when taken).
    pub fn add_stage(&mut self, stage_type: &str, at: Position) -> Result<String, EditError> {
        if stage_ports(stage_type).is_none() {
            return Err(EditError::UnknownStageType(stage_type.to_owned()));
        }
        let id = fresh_stage_id(stage_type, |c| self.document.stages.iter().any(|s| s.id == c));
        let position = Position { x: finite(at.x), y: finite(at.y) };
        let stage = Stage {
            id: id.clone(),
            stage_type: stage_type.to_owned(),
            options: Default::default(),
            position,
        };
        self.apply(None, |doc, selection| {
            doc.stages.push(stage);
            *selection = Selection { stages: BTreeSet::from([id.clone()]), edge: None };
            Ok(())
        })?;
        Ok(id)
    }

    /// Deletes the selected stages with every edge touching them, and the selected edge.
    pub fn delete_selection(&mut self) -> Result<(), EditError> {
        if self.selection.is_empty() {
            return Err(EditError::NothingSelected);
        }
        self.apply(None, |doc, selection| {
            let gone = &selection.stages;
            doc.stages.retain(|s| !gone.contains(&s.id));
            doc.edges.retain(|e| {
                let touches = |end: &str| gone.contains(EdgeEnd::parse(end).stage);
                !touches(&e.from) && !touches(&e.to) && Some(e) != selection.edge.as_ref()
            });
            *selection = Selection::default();
            Ok(())
        })
    }

    /// Adds an edge from output `from` to input `to` and selects it; see
    /// [`check_connect`] for what is refused.
    pub fn connect(&mut self, from: EdgeEnd<'_>, to: EdgeEnd<'_>) -> Result<(), EditError> {
        let edge = check_connect(&self.document, from, to)?;
        self.apply(None, |doc, selection| {
            doc.edges.push(edge.clone());
            *selection = Selection { stages: BTreeSet::new(), edge: Some(edge) };
            Ok(())
        })
    }

    /// Removes `edge` (matched exactly as written in the document).
    pub fn delete_edge(&mut self, edge: &Edge) -> Result<(), EditError> {
        let Some(index) = self.document.edges.iter().position(|e| e == edge) else {
            return Err(EditError::NoSuchEdge { from: edge.from.clone(), to: edge.to.clone() });
        };
        self.apply(None, |doc, _| {
            doc.edges.remove(index);
            Ok(())
        })
    }

    /// Moves the selected stages by (`dx`, `dy`). A drag passes the same `coalesce` key on
    /// every mouse move (and calls [`Designer::end_gesture`] on release) to make one undo step.
    pub fn move_selected(&mut self, dx: f64, dy: f64, coalesce: Option<&str>) -> Result<(), EditError> {
        if self.selection.stages.is_empty() {
            return Err(EditError::NothingSelected);
        }
        let (dx, dy) = (finite(dx), finite(dy));
        self.apply(coalesce, |doc, selection| {
            for stage in doc.stages.iter_mut().filter(|s| selection.stages.contains(&s.id)) {
                stage.position.x += dx;
                stage.position.y += dy;
            }
            Ok(())
        })
    }

    /// Sets option `name` of stage `id` to `value`, or removes it for `None`. A text field
    /// passes a `coalesce` key per field so that typing a word is one undo step.
    pub fn set_option(
        &mut self,
        id: &str,
        name: &str,
        value: Option<Value>,
        coalesce: Option<&str>,
    ) -> Result<(), EditError> {
        if name.is_empty() {
            return Err(EditError::EmptyOptionName);
        }
        self.apply(coalesce, |doc, _| {
            let stage = doc
                .stages
                .iter_mut()
                .find(|s| s.id == id)
                .ok_or_else(|| EditError::UnknownStage(id.to_owned()))?;
            match value {
                Some(value) => stage.options.insert(name.to_owned(), value),
                None => stage.options.remove(name),
            };
            Ok(())
        })
    }

    /// Renames stage `old` to `new`, rewriting the edges that name it and keeping it selected.
    pub fn rename_stage(&mut self, old: &str, new: &str) -> Result<(), EditError> {
        check_stage_id(new).map_err(EditError::InvalidId)?;
        if !self.document.stages.iter().any(|s| s.id == old) {
            return Err(EditError::UnknownStage(old.to_owned()));
        }
        if old != new && self.document.stages.iter().any(|s| s.id == new) {
            return Err(EditError::DuplicateId(new.to_owned()));
        }
        self.apply(None, |doc, selection| {
            for stage in doc.stages.iter_mut().filter(|s| s.id == old) {
                stage.id = new.to_owned();
            }
            for edge in &mut doc.edges {
                rename_end(&mut edge.from, old, new);
                rename_end(&mut edge.to, old, new);
            }
            if let Some(edge) = &mut selection.edge {
                rename_end(&mut edge.from, old, new);
                rename_end(&mut edge.to, old, new);
            }
            if selection.stages.remove(old) {
                selection.stages.insert(new.to_owned());
            }
            Ok(())
        })
    }

    /// The selected stages and the edges among them as clipboard text.
    pub fn copy_selection(&self) -> Result<String, EditError> {
        clipboard::copy(&self.document, &self.selection.stages)
    }

    /// Pastes clipboard text (see [`clipboard::paste`]) and selects what was pasted; returns the
    /// new stage ids.
    pub fn paste(&mut self, text: &str) -> Result<Vec<String>, EditError> {
        let mut pasted = Vec::new();
        self.apply(None, |doc, selection| {
            pasted = clipboard::paste(doc, text)?;
            *selection = Selection { stages: pasted.iter().cloned().collect(), edge: None };
            Ok(())
        })?;
        Ok(pasted)
    }

    /// Lays every stage out left to right (see [`layout::layout`]).
    pub fn auto_layout(&mut self) -> Result<(), EditError> {
        self.apply(None, |doc, _| {
            layout::apply(doc);
            Ok(())
        })
    }

    /// Replaces the whole document (an import) as one undoable step.
    pub fn replace_document(&mut self, document: DataflowDocument) -> Result<(), EditError> {
        self.apply(None, |doc, _| {
            *doc = document;
            Ok(())
        })
    }

    /// A click on a stage: it alone is selected; with `toggle` (shift) it is added or removed
    /// instead. Unknown ids are ignored.
    pub fn select(&mut self, id: &str, toggle: bool) {
        if !self.document.stages.iter().any(|s| s.id == id) {
            return;
        }
        if !toggle {
            self.selection = Selection::default();
        }
        if !self.selection.stages.remove(id) {
            self.selection.stages.insert(id.to_owned());
        }
    }

    /// A rubber band: selects `ids`, adding to the selection with `extend` (shift).
    pub fn select_stages<I: IntoIterator<Item = String>>(&mut self, ids: I, extend: bool) {
        if !extend {
            self.selection = Selection::default();
        }
        self.selection.stages.extend(ids);
        self.selection.retain_existing(&self.document);
    }

    /// A click on an edge: it alone is selected.
    pub fn select_edge(&mut self, edge: &Edge) {
        if self.document.edges.contains(edge) {
            self.selection = Selection { stages: BTreeSet::new(), edge: Some(edge.clone()) };
        }
    }

    pub fn select_all(&mut self) {
        self.selection =
            Selection { stages: self.document.stages.iter().map(|s| s.id.clone()).collect(), edge: None };
    }

    pub fn clear_selection(&mut self) {
        self.selection = Selection::default();
    }

    /// Reverts the newest edit, restoring the document and selection it replaced; `false` when
    /// there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let current = Snapshot { document: self.document.clone(), selection: self.selection.clone() };
        self.history.undo(current).map(|s| self.restore(s)).is_some()
    }

    /// Reapplies the newest undone edit; `false` when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        let current = Snapshot { document: self.document.clone(), selection: self.selection.clone() };
        self.history.redo(current).map(|s| self.restore(s)).is_some()
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// Ends a drag or a typing burst: the next edit is a new undo step whatever its key.
    pub fn end_gesture(&mut self) {
        self.history.seal();
    }

    fn restore(&mut self, snapshot: Snapshot) {
        self.document = snapshot.document;
        self.selection = snapshot.selection;
    }
}

/// Rewrites one edge end naming stage `old` to name `new`, keeping its port.
fn rename_end(end: &mut String, old: &str, new: &str) {
    let parsed = EdgeEnd::parse(end);
    if parsed.stage == old {
        *end = match parsed.port {
            Some(port) => format!("{new}.{port}"),
            None => new.to_owned(),
        };
    }
}

/// Positions must stay finite: JSON has no NaN, and a NaN box could never be found again.
fn finite(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

#[cfg(test)]
mod tests;
