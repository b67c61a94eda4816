//! The SVG canvas: every stage and edge of the scene, keyed so an edit re-renders only what it
//! changed; pointer gestures (see [`crate::designer::gesture`]) turned into designer edits; the
//! wheel zooming about the pointer; and stage types dropped from the palette.
//!
//! While stages are dragged nothing is edited: the dragged boxes and their edges are drawn at
//! an offset (a transform change each), and the move is applied once on release, one undo step.

use leptos::ev::{DragEvent, PointerEvent, WheelEvent};
use leptos::prelude::*;
use model::{EdgeEnd, Position};

use super::edge_view::{EdgeKey, EdgeView};
use super::perf::{self, DragMeter};
use super::stage_view::StageView;
use super::state::{Ctx, Notice, Tab};
use crate::designer::connect::free_input;
use crate::designer::geometry::{Point, Rect, STAGE_HEIGHT, STAGE_WIDTH, edge_path, num};
use crate::designer::gesture::{
    self, ClickAction, DragEffect, End, Gesture, Modifiers, Outcome, PressEffect,
};
use crate::designer::hit;
use crate::designer::layout::free_position;

/// The drag-and-drop type palette entries carry.
pub const STAGE_MIME: &str = "application/x-tributary-stage";
/// Zoom factor per wheel pixel: e^(-0.0015 · 100) ≈ 0.86 per notch.
const WHEEL_ZOOM: f64 = 0.0015;

#[component]
pub fn Canvas(ctx: Ctx, started: f64) -> impl IntoView {
    let gesture = StoredValue::new(None::<Gesture>);
    // The canvas's place in the window when the gesture began (pointer capture keeps it valid).
    let origin = StoredValue::new(Point::default());
    let band = RwSignal::new(None::<Rect>);
    let wire = RwSignal::new(None::<(Point, Point)>);
    let panning = RwSignal::new(false);
    let meter = StoredValue::new(DragMeter::default());
    let measure = perf::enabled();

    let stage_ids = Memo::new(move |_| {
        ctx.document.with(|doc| {
            let mut seen = std::collections::BTreeSet::new();
            doc.stages.iter().filter(|s| seen.insert(s.id.as_str())).map(|s| s.id.clone()).collect::<Vec<_>>()
        })
    });
    let edge_keys = Memo::new(move |_| {
        ctx.document.with(|doc| {
            doc.edges
                .iter()
                .enumerate()
                .map(|(index, edge)| EdgeKey { index, edge: edge.clone() })
                .collect::<Vec<_>>()
        })
    });

    let locate = move |client_x: i32, client_y: i32| {
        let o = origin.get_value();
        let screen = Point::new(f64::from(client_x) - o.x, f64::from(client_y) - o.y);
        (screen, ctx.viewport.get_untracked().to_world(screen))
    };

    let on_pointerdown = move |event: PointerEvent| {
        let button = event.button();
        if button != 0 && button != 1 {
            return;
        }
        let Some(el) = ctx.canvas.get_untracked() else { return };
        // Default handling would start a text selection; focus is given by hand instead.
        event.prevent_default();
        let _ = el.focus();
        let rect = el.get_bounding_client_rect();
        origin.set_value(Point::new(rect.left(), rect.top()));
        let (screen, world) = locate(event.client_x(), event.client_y());
        let viewport = ctx.viewport.get_untracked();
        // The middle button pans, as Space does.
        let mods = Modifiers { shift: event.shift_key(), space: ctx.space.get_untracked() || button == 1 };
        let target = ctx.scene.with_untracked(|s| gesture::target_at(s, world, viewport.zoom));
        let selected = |id: &str| ctx.selection.with_untracked(|s| s.contains(id));
        let (started, effect) = gesture::press(target, mods, screen, world, viewport.zoom, selected);
        apply_press(ctx, effect);
        panning.set(matches!(started, Gesture::Pan { .. }));
        gesture.set_value(Some(started));
        let _ = el.set_pointer_capture(event.pointer_id());
    };

    let on_pointermove = move |event: PointerEvent| {
        if gesture.with_value(Option::is_none) {
            return;
        }
        let (screen, world) = locate(event.client_x(), event.client_y());
        let effect = gesture
            .try_update_value(|g| g.as_mut().map(|g| g.drag(screen, world)))
            .flatten()
            .unwrap_or(DragEffect::None);
        let editable = !ctx.read_only();
        match effect {
            DragEffect::None => {}
            DragEffect::Pan(dx, dy) => ctx.viewport.update(|v| v.pan_by(dx, dy)),
            DragEffect::Offset(dx, dy) if editable => {
                ctx.drag_offset.set(Some((dx, dy)));
                if measure {
                    perf::measure_move(meter);
                }
            }
            DragEffect::Band(rect) => band.set(Some(rect)),
            DragEffect::Line(a, b) if editable => wire.set(Some((a, b))),
            DragEffect::Offset(..) | DragEffect::Line(..) => {}
        }
    };

    // `None`: the gesture was cancelled (pointer lost); nothing is applied.
    let finish = move |at: Option<(i32, i32)>| {
        let Some(ended) = gesture.try_update_value(Option::take).flatten() else { return };
        panning.set(false);
        band.set(None);
        wire.set(None);
        if let Some((x, y)) = at {
            let (_, world) = locate(x, y);
            let zoom = ctx.viewport.get_untracked().zoom;
            let target = ctx.scene.with_untracked(|s| gesture::target_at(s, world, zoom));
            apply_outcome(ctx, ended.release(&target));
        }
        // Cleared after the move is applied, so the boxes do not flash back for a frame.
        ctx.drag_offset.set(None);
        if measure {
            perf::finish_drag(meter);
        }
    };

    let on_wheel = move |event: WheelEvent| {
        event.prevent_default();
        let Some(el) = ctx.canvas.get_untracked() else { return };
        let rect = el.get_bounding_client_rect();
        let screen =
            Point::new(f64::from(event.client_x()) - rect.left(), f64::from(event.client_y()) - rect.top());
        let pixels = match event.delta_mode() {
            1 => event.delta_y() * 16.0,
            2 => event.delta_y() * 400.0,
            _ => event.delta_y(),
        };
        ctx.viewport.update(|v| v.zoom_about(screen, (-pixels * WHEEL_ZOOM).exp()));
    };

    let on_dragover = move |event: DragEvent| {
        // Accepting the drag is what makes `drop` fire; what was dropped is checked there.
        event.prevent_default();
        if let Some(transfer) = event.data_transfer() {
            transfer.set_drop_effect("copy");
        }
    };
    let on_drop = move |event: DragEvent| {
        event.prevent_default();
        let dropped = event.data_transfer().and_then(|t| t.get_data(STAGE_MIME).ok());
        let Some(stage_type) = dropped.filter(|t| !t.is_empty()) else { return };
        let Some(el) = ctx.canvas.get_untracked() else { return };
        let rect = el.get_bounding_client_rect();
        let screen =
            Point::new(f64::from(event.client_x()) - rect.left(), f64::from(event.client_y()) - rect.top());
        let world = ctx.viewport.get_untracked().to_world(screen);
        add_stage(ctx, &stage_type, Some(world.offset(-STAGE_WIDTH / 2.0, -STAGE_HEIGHT / 2.0)));
    };

    first_render(ctx, started);

    let band_view = move || {
        band.get().map(|r| {
            view! { <rect class="band" x=num(r.x) y=num(r.y) width=num(r.width) height=num(r.height) /> }
        })
    };
    let wire_view = move || wire.get().map(|(a, b)| view! { <path class="wire" d=edge_path(a, b) /> });
    let empty = move || {
        stage_ids.with(Vec::is_empty).then(|| {
            view! {
                <p class="canvas-empty" id="canvas-empty">
                    "Drag a stage here from the palette, or pick one there with a click or Enter."
                </p>
            }
        })
    };

    view! {
        <div
            class="designer-canvas"
            id="designer-canvas"
            node_ref=ctx.canvas
            tabindex="0"
            role="application"
            aria-label="Dataflow canvas"
            aria-describedby="shortcuts-help"
            class:panning=move || panning.get() || ctx.space.get()
            class:read-only=move || ctx.viewing.get().is_some()
            on:pointerdown=on_pointerdown
            on:pointermove=on_pointermove
            on:pointerup=move |event| finish(Some((event.client_x(), event.client_y())))
            on:pointercancel=move |_| finish(None)
            on:wheel=on_wheel
            on:dragover=on_dragover
            on:drop=on_drop
        >
            <svg class="designer-svg" aria-hidden="true">
                <g class="world" transform=move || ctx.viewport.with(|v| v.svg_transform())>
                    <g class="edges">
                        <For
                            each=move || edge_keys.get()
                            key=|key| key.clone()
                            children=move |key| view! { <EdgeView ctx key /> }
                        />
                    </g>
                    <g class="stages">
                        <For
                            each=move || stage_ids.get()
                            key=|id| id.clone()
                            children=move |id| view! { <StageView ctx id /> }
                        />
                    </g>
                    {wire_view}
                    {band_view}
                </g>
            </svg>
            {empty}
        </div>
    }
}

/// After the first render: fit the dataflow into view and, when asked, publish the render time.
fn first_render(ctx: Ctx, started: f64) {
    Effect::new(move |done: Option<()>| {
        if done.is_some() {
            return;
        }
        ctx.fit();
        if perf::enabled() {
            // Reading the layout makes the browser finish style and layout of the new nodes.
            if let Some(el) = ctx.canvas.get_untracked() {
                let _ = el.get_bounding_client_rect();
            }
            perf::record("__designerRenderMs", perf::now() - started);
        }
    });
}

fn apply_press(ctx: Ctx, effect: PressEffect) {
    match effect {
        PressEffect::None => {}
        PressEffect::SelectOnly(id) => ctx.select(|d| d.select(&id, false)),
        PressEffect::Add(id) => ctx.select(|d| d.select(&id, true)),
        PressEffect::SelectEdge(index) => {
            if let Some(edge) = ctx.document.with_untracked(|d| d.edges.get(index).cloned()) {
                ctx.select(|d| d.select_edge(&edge));
            }
        }
    }
}

fn apply_outcome(ctx: Ctx, outcome: Outcome) {
    match outcome {
        Outcome::None | Outcome::Click(ClickAction::Nothing) => {}
        Outcome::ClearSelection => ctx.select(|d| d.clear_selection()),
        Outcome::Click(ClickAction::SelectOnly(id)) => ctx.select(|d| d.select(&id, false)),
        Outcome::Click(ClickAction::Deselect(id)) => ctx.select(|d| d.select(&id, true)),
        Outcome::Moved(dx, dy) => {
            ctx.edit(|d| d.move_selected(dx, dy, Some("drag")));
            ctx.end_gesture();
        }
        Outcome::Band(rect) => {
            let ids = ctx.scene.with_untracked(|s| hit::stages_in(s, &rect));
            ctx.select(|d| d.select_stages(ids, true));
        }
        Outcome::Connect { from, to } => connect(ctx, from, to),
    }
}

/// Adds the edge; a drop on a box reaches its first free input.
fn connect(ctx: Ctx, from: End, to: End) {
    ctx.edit(|d| {
        let to_port = to.1.clone().or_else(|| free_input(d.document(), &to.0));
        d.connect(
            EdgeEnd { stage: &from.0, port: from.1.as_deref() },
            EdgeEnd { stage: &to.0, port: to_port.as_deref() },
        )
    });
}

/// Adds a stage of `stage_type` with its box at `at` (world), or at the centre of the view,
/// moved aside if a box already starts there; selects it and shows its properties.
pub fn add_stage(ctx: Ctx, stage_type: &str, at: Option<Point>) {
    let at = at.unwrap_or_else(|| ctx.view_center().offset(-STAGE_WIDTH / 2.0, -STAGE_HEIGHT / 2.0));
    let position = ctx.document.with_untracked(|d| free_position(d, Position { x: at.x, y: at.y }));
    if let Some(id) = ctx.edit(|d| d.add_stage(stage_type, position)) {
        ctx.tab.set(Tab::Properties);
        ctx.notice.set(Some(Notice::info(format!("Added stage “{id}”."))));
    }
}
