//! One edge on the canvas: its curve (following dragged boxes), selection and problem marks,
//! and while a run is shown, the rows that crossed it.

use leptos::prelude::*;
use model::{Edge, EdgeEnd};

use super::state::Ctx;
use crate::designer::geometry::{Point, edge_path, num, sample_edge};
use crate::designer::run_view::count_label;

/// An edge's place in the document with its text: the `<For>` key, so editing other edges
/// leaves it alone.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EdgeKey {
    pub index: usize,
    pub edge: Edge,
}

#[component]
pub fn EdgeView(ctx: Ctx, key: EdgeKey) -> impl IntoView {
    let EdgeKey { index, edge } = key;
    let ends = Memo::new(move |_| {
        ctx.scene.with(|s| {
            let found = s.edges.binary_search_by_key(&index, |e| e.index).ok();
            found.map(|i| (s.edges[i].from, s.edges[i].to))
        })
    });
    let (from_stage, to_stage) =
        (EdgeEnd::parse(&edge.from).stage.to_owned(), EdgeEnd::parse(&edge.to).stage.to_owned());
    let moving = Memo::new(move |_| ctx.selection.with(|s| (s.contains(&from_stage), s.contains(&to_stage))));
    // Only edges touching a selected box read the drag offset.
    let points = Memo::new(move |_| {
        let (a, b) = ends.get()?;
        let (from_moves, to_moves) = moving.get();
        let offset = if from_moves || to_moves { ctx.drag_offset.get() } else { None };
        let shift = |p: Point, moves: bool| match offset {
            Some((dx, dy)) if moves => p.offset(dx, dy),
            _ => p,
        };
        Some((shift(a, from_moves), shift(b, to_moves)))
    });
    let d = move || points.get().map(|(a, b)| edge_path(a, b)).unwrap_or_default();
    let selected = Memo::new({
        let edge = edge.clone();
        move |_| ctx.selection.with(|s| s.edge.as_ref() == Some(&edge))
    });
    let problem = Memo::new(move |_| ctx.problems.with(|p| p.edge_has_problem(index)));
    let rows = Memo::new(move |_| ctx.edge_counts.with(|counts| counts.get(index).copied().flatten()));
    let label = move || {
        let rows = rows.get()?;
        let (a, b) = points.get()?;
        let middle = sample_edge(a, b, 2).get(1).copied().unwrap_or(a);
        Some(view! {
            <text
                class="edge-count"
                id=format!("edge-count-{index}")
                x=num(middle.x)
                y=num(middle.y - 6.0)
                text-anchor="middle"
            >
                {count_label(rows)}
            </text>
        })
    };
    view! {
        <g
            class="edge"
            id=format!("edge-{index}")
            data-edge=index
            data-from=edge.from.clone()
            data-to=edge.to.clone()
            class:selected=move || selected.get()
            class:has-problems=move || problem.get()
        >
            <path class="edge-halo" d=d />
            <path class="edge-line" d=d />
            {label}
        </g>
    }
}
