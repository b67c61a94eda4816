//! One stage on the canvas: its box, ports, problem badge and run state. Each part reads its own
//! memo, so moving a box changes one `transform` and selecting it one class.

use leptos::prelude::*;

use super::state::Ctx;
use crate::designer::geometry::num;
use crate::designer::ports::PortDirection;
use crate::designer::scene::StageBox;

/// Characters of a stage id or type shown in a box before it is cut with "…".
const LABEL_CHARS: usize = 20;

/// A port as drawn, relative to the box's top-left corner.
#[derive(Debug, Clone, PartialEq)]
struct PortMark {
    name: String,
    input: bool,
    x: f64,
    y: f64,
    required: bool,
    declared: bool,
    /// Named beside the box when its side has several ports.
    labelled: bool,
}

/// What a box looks like, wherever it is.
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    stage_type: String,
    width: f64,
    height: f64,
    ports: Vec<PortMark>,
}

impl Shape {
    fn of(b: &StageBox) -> Self {
        let marks = |direction: PortDirection| {
            let side = b.side(direction);
            side.iter().map(move |a| PortMark {
                name: a.name.clone(),
                input: direction == PortDirection::Input,
                x: a.point.x - b.rect.x,
                y: a.point.y - b.rect.y,
                required: a.required,
                declared: a.declared,
                labelled: side.len() > 1,
            })
        };
        Self {
            stage_type: b.stage_type.clone(),
            width: b.rect.width,
            height: b.rect.height,
            ports: marks(PortDirection::Input).chain(marks(PortDirection::Output)).collect(),
        }
    }
}

#[component]
pub fn StageView(ctx: Ctx, id: String) -> impl IntoView {
    let placed = Memo::new({
        let id = id.clone();
        move |_| ctx.scene.with(|s| s.stage(&id).map(|b| ((b.rect.x, b.rect.y), Shape::of(b))))
    });
    let position = Memo::new(move |_| placed.with(|p| p.as_ref().map(|(at, _)| *at)));
    let shape = Memo::new(move |_| placed.with(|p| p.as_ref().map(|(_, shape)| shape.clone())));
    let selected = Memo::new({
        let id = id.clone();
        move |_| ctx.selection.with(|s| s.contains(&id))
    });
    // Only selected boxes follow a drag, so only they read the offset.
    let offset = Memo::new(move |_| if selected.get() { ctx.drag_offset.get() } else { None });
    let problems = Memo::new({
        let id = id.clone();
        move |_| ctx.problems.with(|p| p.for_stage(&id).len())
    });
    let faulty = Memo::new(move |_| problems.get() > 0);
    let run_state = Memo::new({
        let id = id.clone();
        move |_| ctx.run_states.with(|states| states.get(&id).map(|s| s.as_str()))
    });
    let transform = move || {
        position.get().map(|(x, y)| {
            let (dx, dy) = offset.get().unwrap_or_default();
            format!("translate({} {})", num(x + dx), num(y + dy))
        })
    };
    let body = {
        let id = id.clone();
        move || shape.get().map(|shape| view! { <StageBody ctx id=id.clone() shape problems /> })
    };
    view! {
        <g
            class="stage"
            id=format!("stage-{id}")
            data-stage=id.clone()
            data-run-state=move || run_state.get()
            transform=transform
            class:selected=move || selected.get()
            class:has-problems=faulty
        >
            {body}
        </g>
    }
}

#[component]
fn StageBody(ctx: Ctx, id: String, shape: Shape, problems: Memo<usize>) -> impl IntoView {
    let Shape { stage_type, width, height, ports } = shape;
    let title = ctx.spec(&stage_type).map_or_else(|| stage_type.clone(), |spec| spec.title);
    let tooltip = format!("{id} · {title}");
    let ports = ports.into_iter().map(|port| view! { <Port stage=id.clone() port width /> }).collect_view();
    let badge = {
        let id = id.clone();
        move || {
            let count = problems.get();
            (count > 0).then(|| {
                view! {
                    <g
                        class="problem-badge"
                        id=format!("stage-problems-{id}")
                        transform=format!("translate({} 0)", num(width))
                    >
                        <circle r="10" />
                        <text y="4" text-anchor="middle">{count}</text>
                    </g>
                }
            })
        }
    };
    // The group makes `title` an SVG tooltip rather than an HTML element.
    view! {
        <g class="stage-body">
            <title>{tooltip}</title>
            <rect class="stage-box" width=num(width) height=num(height) rx="6" />
            <text class="stage-id" x="12" y="23">{cut(&id)}</text>
            <text class="stage-type" x="12" y="42">{cut(&title)}</text>
            {ports}
            {badge}
        </g>
    }
}

#[component]
fn Port(stage: String, port: PortMark, width: f64) -> impl IntoView {
    let side = if port.input { "in" } else { "out" };
    let label = port.labelled.then(|| {
        let (x, anchor) = if port.input { (-9.0, "end") } else { (width + 9.0, "start") };
        view! {
            <text class="port-label" x=num(x) y=num(port.y + 3.5) text-anchor=anchor>
                {port.name.clone()}
            </text>
        }
    });
    let kind = if port.input { "input" } else { "output" };
    view! {
        <circle
            class="port"
            class:port-in=port.input
            class:required=port.required
            class:undeclared=!port.declared
            id=format!("port-{stage}-{side}-{}", port.name)
            data-port=port.name.clone()
            data-direction=side
            cx=num(port.x)
            cy=num(port.y)
            r="5"
        >
            <title>{format!("{kind} {}", port.name)}</title>
        </circle>
        {label}
    }
}

fn cut(text: &str) -> String {
    if text.chars().count() <= LABEL_CHARS {
        return text.to_owned();
    }
    let kept: String = text.chars().take(LABEL_CHARS - 1).collect();
    format!("{kept}…")
}
