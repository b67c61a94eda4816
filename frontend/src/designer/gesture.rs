//! Pointer gestures on the canvas as a state machine without the DOM: what a press starts
//! (panning, a rubber band, moving stages, drawing an edge), what each move shows, and what the
//! release does. The canvas converts coordinates and applies the [`Outcome`]; the rules live here.
//!
//! - Drag the background (or anything while Space is held) to pan; a click there clears the
//!   selection.
//! - Shift-drag the background for a rubber band that adds the stages it encloses.
//! - Press a stage to select it (Shift adds it or, on a click, removes it) and drag to move the
//!   selection; the move is applied once, on release, as one undo step.
//! - Drag from a port to a port (either direction) or onto a stage's box to connect.
//! - Press an edge to select it.

use super::geometry::{Point, Rect};
use super::hit::{self, PortHit};
use super::ports::PortDirection;
use super::scene::Scene;

/// Screen pixels the pointer must travel before a press counts as a drag rather than a click.
pub const DRAG_THRESHOLD: f64 = 3.0;
/// Screen pixels around a port centre that grab the port.
pub const PORT_GRAB: f64 = 9.0;
/// Screen pixels from an edge curve that still grab the edge.
pub const EDGE_GRAB: f64 = 6.0;

/// The keys held when the pointer went down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Modifiers {
    pub shift: bool,
    /// Space held: every drag pans, as in drawing tools.
    pub space: bool,
}

/// What lies under the pointer, ports first (they sit on box borders), then boxes, then edges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Port(PortHit),
    Stage(String),
    Edge(usize),
    Background,
}

/// Hit-tests `world` at `zoom`, with grab distances fixed in screen pixels.
pub fn target_at(scene: &Scene, world: Point, zoom: f64) -> Target {
    let zoom = if zoom > 0.0 { zoom } else { 1.0 };
    if let Some(port) = hit::port_at(scene, world, PORT_GRAB / zoom) {
        return Target::Port(port);
    }
    if let Some(id) = hit::stage_at(scene, world) {
        return Target::Stage(id.to_owned());
    }
    if let Some(edge) = hit::edge_at(scene, world, EDGE_GRAB / zoom) {
        return Target::Edge(edge.index);
    }
    Target::Background
}

/// What a click on a stage (a press released without dragging) does to the selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClickAction {
    /// Nothing more: the press already selected it.
    Nothing,
    /// Select this stage alone (it was part of a larger selection).
    SelectOnly(String),
    /// Shift-click on a selected stage: take it out of the selection.
    Deselect(String),
}

/// A gesture in progress. Points named `origin`/`last` are in screen pixels relative to the
/// canvas; `start`/`end`/`anchor` are world coordinates.
#[derive(Debug, Clone, PartialEq)]
pub enum Gesture {
    Pan { origin: Point, last: Point, moved: bool, clears: bool },
    Band { origin: Point, start: Point, end: Point, moved: bool },
    Move { origin: Point, zoom: f64, offset: (f64, f64), moved: bool, click: ClickAction },
    Connect { from: PortHit, anchor: Point, end: Point, origin: Point, moved: bool },
}

/// What a press changes at once, before the pointer moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PressEffect {
    None,
    /// Select this stage alone.
    SelectOnly(String),
    /// Add this stage to the selection.
    Add(String),
    SelectEdge(usize),
}

/// What a move asks the canvas to show.
#[derive(Debug, Clone, PartialEq)]
pub enum DragEffect {
    None,
    /// Pan the view by this many screen pixels.
    Pan(f64, f64),
    /// Draw the selected stages shifted by this world offset.
    Offset(f64, f64),
    /// Draw the rubber band.
    Band(Rect),
    /// Draw the loose edge between the port and the pointer, output side first.
    Line(Point, Point),
}

/// One end of an edge to create: a stage and a port (`None`: the stage's default or first free
/// input, for a drop on the box).
pub type End = (String, Option<String>);

/// What the release does.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    None,
    ClearSelection,
    Click(ClickAction),
    /// Move the selected stages by this world offset (whole units), as one undo step.
    Moved(f64, f64),
    /// Add the stages inside this world rectangle to the selection.
    Band(Rect),
    /// Connect output `from` to input `to`.
    Connect {
        from: End,
        to: End,
    },
}

/// Starts a gesture for a press on `target` at `screen` (canvas pixels) / `world`.
/// `selected` tells whether a stage is selected now.
pub fn press(
    target: Target,
    mods: Modifiers,
    screen: Point,
    world: Point,
    zoom: f64,
    selected: impl Fn(&str) -> bool,
) -> (Gesture, PressEffect) {
    let pan = |clears| Gesture::Pan { origin: screen, last: screen, moved: false, clears };
    if mods.space {
        return (pan(false), PressEffect::None);
    }
    match target {
        Target::Port(from) => {
            let gesture = Gesture::Connect { from, anchor: world, end: world, origin: screen, moved: false };
            (gesture, PressEffect::None)
        }
        Target::Stage(id) => {
            let was_selected = selected(&id);
            let (effect, click) = match (mods.shift, was_selected) {
                (false, false) => (PressEffect::SelectOnly(id), ClickAction::Nothing),
                (false, true) => (PressEffect::None, ClickAction::SelectOnly(id)),
                (true, false) => (PressEffect::Add(id), ClickAction::Nothing),
                (true, true) => (PressEffect::None, ClickAction::Deselect(id)),
            };
            let zoom = if zoom > 0.0 { zoom } else { 1.0 };
            (Gesture::Move { origin: screen, zoom, offset: (0.0, 0.0), moved: false, click }, effect)
        }
        Target::Edge(index) => (pan(false), PressEffect::SelectEdge(index)),
        Target::Background if mods.shift => {
            (Gesture::Band { origin: screen, start: world, end: world, moved: false }, PressEffect::None)
        }
        Target::Background => (pan(true), PressEffect::None),
    }
}

impl Gesture {
    /// The pointer moved to `screen` / `world`.
    pub fn drag(&mut self, screen: Point, world: Point) -> DragEffect {
        match self {
            Self::Pan { origin, last, moved, .. } => {
                *moved |= origin.distance(screen) > DRAG_THRESHOLD;
                if !*moved {
                    return DragEffect::None;
                }
                // The first pan covers the distance travelled under the threshold too.
                let delta = (screen.x - last.x, screen.y - last.y);
                *last = screen;
                DragEffect::Pan(delta.0, delta.1)
            }
            Self::Band { origin, start, end, moved } => {
                *moved |= origin.distance(screen) > DRAG_THRESHOLD;
                *end = world;
                if *moved { DragEffect::Band(Rect::from_corners(*start, *end)) } else { DragEffect::None }
            }
            Self::Move { origin, zoom, offset, moved, .. } => {
                *moved |= origin.distance(screen) > DRAG_THRESHOLD;
                if !*moved {
                    return DragEffect::None;
                }
                *offset = (((screen.x - origin.x) / *zoom).round(), ((screen.y - origin.y) / *zoom).round());
                DragEffect::Offset(offset.0, offset.1)
            }
            Self::Connect { from, anchor, end, origin, moved } => {
                *moved |= origin.distance(screen) > DRAG_THRESHOLD;
                *end = world;
                match (*moved, from.direction) {
                    (false, _) => DragEffect::None,
                    (true, PortDirection::Output) => DragEffect::Line(*anchor, *end),
                    (true, PortDirection::Input) => DragEffect::Line(*end, *anchor),
                }
            }
        }
    }

    /// The pointer went up over `target`.
    pub fn release(self, target: &Target) -> Outcome {
        match self {
            Self::Pan { moved: false, clears: true, .. } => Outcome::ClearSelection,
            Self::Pan { .. } => Outcome::None,
            Self::Band { moved: true, start, end, .. } => Outcome::Band(Rect::from_corners(start, end)),
            Self::Band { .. } => Outcome::None,
            Self::Move { moved: true, offset: (dx, dy), .. } if dx != 0.0 || dy != 0.0 => {
                Outcome::Moved(dx, dy)
            }
            Self::Move { moved: true, .. } => Outcome::None,
            Self::Move { click, .. } => Outcome::Click(click),
            Self::Connect { from, moved, .. } => connect_outcome(from, moved, target),
        }
    }

    /// The world offset the selected stages are drawn at, while they are being dragged.
    pub fn offset(&self) -> Option<(f64, f64)> {
        match self {
            Self::Move { moved: true, offset, .. } => Some(*offset),
            _ => None,
        }
    }
}

fn connect_outcome(from: PortHit, moved: bool, target: &Target) -> Outcome {
    let start = (from.stage.clone(), Some(from.port.clone()));
    match target {
        _ if !moved => Outcome::Click(ClickAction::SelectOnly(from.stage)),
        Target::Port(drop) if *drop == from => Outcome::None,
        Target::Port(drop) => {
            // Either end may be where the drag started: an edge runs from output to input.
            let (a, b) = hit::orient(&from, drop);
            let owned = |end: model::EdgeEnd<'_>| (end.stage.to_owned(), end.port.map(str::to_owned));
            Outcome::Connect { from: owned(a), to: owned(b) }
        }
        Target::Stage(id) if *id != from.stage => match from.direction {
            PortDirection::Output => Outcome::Connect { from: start, to: (id.clone(), None) },
            PortDirection::Input => Outcome::Connect { from: (id.clone(), None), to: start },
        },
        _ => Outcome::None,
    }
}

#[cfg(test)]
mod tests;
