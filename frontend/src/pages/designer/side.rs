//! The side panel: tabs for the selection's properties, the versions and running the job. Every
//! tab stays mounted (hidden when not chosen), so a run keeps being followed behind another tab.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::properties::PropertiesPanel;
use super::run::RunPanel;
use super::state::{Ctx, Tab};
use super::versions::VersionsPanel;

const TABS: [(Tab, &str, &str); 3] = [
    (Tab::Properties, "properties", "Properties"),
    (Tab::Versions, "versions", "Versions"),
    (Tab::Run, "run", "Run"),
];

#[component]
pub fn SidePanel(ctx: Ctx) -> impl IntoView {
    let buttons = TABS
        .into_iter()
        .map(|(tab, key, label)| {
            let chosen = move || ctx.tab.get() == tab;
            view! {
                <button
                    type="button"
                    role="tab"
                    id=format!("tab-{key}")
                    aria-controls=format!("panel-{key}")
                    aria-selected=move || if chosen() { "true" } else { "false" }
                    tabindex=move || if chosen() { "0" } else { "-1" }
                    on:click=move |_| ctx.tab.set(tab)
                >
                    {label}
                </button>
            }
        })
        .collect_view();
    // Arrow keys move between tabs, as in every tab list.
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        let step: isize = match event.key().as_str() {
            "ArrowRight" => 1,
            "ArrowLeft" => -1,
            _ => return,
        };
        event.prevent_default();
        let current = TABS.iter().position(|(tab, ..)| *tab == ctx.tab.get_untracked()).unwrap_or(0);
        let next = (current as isize + step).rem_euclid(TABS.len() as isize) as usize;
        let (tab, key, _) = TABS[next];
        ctx.tab.set(tab);
        let button = document().get_element_by_id(&format!("tab-{key}"));
        if let Some(button) = button.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = button.focus();
        }
    };
    let panel = move |tab: Tab, key: &'static str, children: AnyView| {
        view! {
            <div
                role="tabpanel"
                class="side-panel-body"
                id=format!("panel-{key}")
                aria-labelledby=format!("tab-{key}")
                hidden=move || ctx.tab.get() != tab
            >
                {children}
            </div>
        }
    };
    view! {
        <aside class="designer-side" aria-label="Details">
            <div class="tabs" role="tablist" aria-label="Details" on:keydown=on_keydown>
                {buttons}
            </div>
            {panel(Tab::Properties, "properties", view! { <PropertiesPanel ctx /> }.into_any())}
            {panel(Tab::Versions, "versions", view! { <VersionsPanel ctx /> }.into_any())}
            {panel(Tab::Run, "run", view! { <RunPanel ctx /> }.into_any())}
        </aside>
    }
}
