//! Undo and redo as a stack of snapshots: before each edit the state it replaces is recorded,
//! so every edit, whatever it touched, is undone by putting the snapshot back.
//!
//! Snapshots rather than inverse commands: a document of a few hundred stages clones in
//! microseconds, and a snapshot cannot be subtly wrong the way a hand-written inverse can.

use std::collections::VecDeque;

/// How many edits can be undone by default.
pub const DEFAULT_DEPTH: usize = 200;

/// One undoable step: the state before it, and the gesture it belongs to.
#[derive(Debug, Clone)]
struct Step<T> {
    before: T,
    /// Further edits with the same key extend this step instead of adding one (a drag); `None`
    /// once the step is closed.
    coalesce: Option<String>,
}

/// The undo and redo stacks of snapshots of `T`.
#[derive(Debug, Clone)]
pub struct History<T> {
    undo: VecDeque<Step<T>>,
    redo: Vec<T>,
    depth: usize,
}

impl<T> Default for History<T> {
    fn default() -> Self {
        Self::with_depth(DEFAULT_DEPTH)
    }
}

impl<T> History<T> {
    /// A history keeping at most `depth` undo steps (at least one); the oldest are dropped.
    pub fn with_depth(depth: usize) -> Self {
        Self { undo: VecDeque::new(), redo: Vec::new(), depth: depth.max(1) }
    }

    /// Records `before`, the state an edit is about to replace, and forgets what could be
    /// redone. With a `coalesce` key equal to the newest step's (and that step still open) the
    /// edit joins that step: its snapshot already holds the state before the whole gesture,
    /// so one undo reverts a drag of a hundred mouse moves.
    pub fn record(&mut self, before: T, coalesce: Option<&str>) {
        self.redo.clear();
        let joins =
            coalesce.is_some_and(|key| self.undo.back().and_then(|s| s.coalesce.as_deref()) == Some(key));
        if joins {
            return;
        }
        self.push(Step { before, coalesce: coalesce.map(str::to_owned) });
    }

    /// Closes the newest step: the next edit starts a new one even with the same key (the
    /// mouse button went up).
    pub fn seal(&mut self) {
        if let Some(step) = self.undo.back_mut() {
            step.coalesce = None;
        }
    }

    /// Takes the state to go back to, handing over `current` for redo; `None` when there is
    /// nothing to undo.
    pub fn undo(&mut self, current: T) -> Option<T> {
        let step = self.undo.pop_back()?;
        self.redo.push(current);
        // A step uncovered by undo must not absorb the next gesture's edits.
        self.seal();
        Some(step.before)
    }

    /// Takes the state to go forward to, handing over `current` for undo; `None` when there is
    /// nothing to redo.
    pub fn redo(&mut self, current: T) -> Option<T> {
        let next = self.redo.pop()?;
        self.push(Step { before: current, coalesce: None });
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// How many steps can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// How many steps can be redone.
    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }

    /// Forgets everything (another document was opened).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }

    fn push(&mut self, step: Step<T>) {
        self.undo.push_back(step);
        while self.undo.len() > self.depth {
            self.undo.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies an edit to `state` the way the designer does: record, then change.
    fn edit(history: &mut History<i32>, state: &mut i32, to: i32, key: Option<&str>) {
        history.record(*state, key);
        *state = to;
    }

    #[test]
    fn undo_and_redo_walk_the_states() {
        let (mut h, mut s) = (History::default(), 0);
        assert!(!h.can_undo() && !h.can_redo());
        edit(&mut h, &mut s, 1, None);
        edit(&mut h, &mut s, 2, None);
        s = h.undo(s).unwrap();
        assert_eq!(s, 1);
        assert!(h.can_redo());
        s = h.undo(s).unwrap();
        assert_eq!(s, 0);
        assert_eq!(h.undo(s), None);
        s = h.redo(s).unwrap();
        s = h.redo(s).unwrap();
        assert_eq!(s, 2);
        assert_eq!(h.redo(s), None);
        assert_eq!((h.undo_len(), h.redo_len()), (2, 0));
    }

    #[test]
    fn a_new_edit_after_undo_clears_redo() {
        let (mut h, mut s) = (History::default(), 0);
        edit(&mut h, &mut s, 1, None);
        s = h.undo(s).unwrap();
        edit(&mut h, &mut s, 5, None);
        assert!(!h.can_redo());
        assert_eq!(h.undo(s), Some(0));
    }

    #[test]
    fn a_gesture_coalesces_into_one_step() {
        let (mut h, mut s) = (History::default(), 0);
        edit(&mut h, &mut s, 100, None);
        for x in 101..=150 {
            edit(&mut h, &mut s, x, Some("drag"));
        }
        assert_eq!(h.undo_len(), 2);
        s = h.undo(s).unwrap();
        assert_eq!(s, 100);
        s = h.redo(s).unwrap();
        assert_eq!(s, 150);
    }

    #[test]
    fn sealing_or_another_key_starts_a_new_step() {
        let (mut h, mut s) = (History::default(), 0);
        edit(&mut h, &mut s, 1, Some("drag"));
        edit(&mut h, &mut s, 2, Some("drag"));
        h.seal();
        edit(&mut h, &mut s, 3, Some("drag"));
        edit(&mut h, &mut s, 4, Some("type"));
        edit(&mut h, &mut s, 5, Some("drag"));
        assert_eq!(h.undo_len(), 4);
        let mut seen = vec![];
        while let Some(previous) = h.undo(s) {
            s = previous;
            seen.push(s);
        }
        assert_eq!(seen, [4, 3, 2, 0]);
    }

    #[test]
    fn a_step_uncovered_by_undo_does_not_absorb_the_next_gesture() {
        let (mut h, mut s) = (History::default(), 0);
        edit(&mut h, &mut s, 1, Some("drag"));
        edit(&mut h, &mut s, 2, None);
        s = h.undo(s).unwrap();
        edit(&mut h, &mut s, 7, Some("drag"));
        assert_eq!(h.undo(s), Some(1));
    }

    #[test]
    fn depth_is_capped_dropping_the_oldest() {
        let (mut h, mut s) = (History::with_depth(3), 0);
        for x in 1..=5 {
            edit(&mut h, &mut s, x, None);
        }
        assert_eq!(h.undo_len(), 3);
        let mut last = s;
        while let Some(previous) = h.undo(last) {
            last = previous;
        }
        assert_eq!(last, 2);
        assert_eq!(History::<i32>::default().depth, DEFAULT_DEPTH);
        h.clear();
        assert!(!h.can_undo() && !h.can_redo());
    }
}
