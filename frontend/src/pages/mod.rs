//! One component per [`Route`], and [`page_for`], which picks it.

mod admin;
mod audit;
mod cluster;
mod connection_form;
mod connections;
mod dataflow_create;
mod dataflow_delete;
mod dataflow_detail;
mod dataflow_run;
mod dataflow_table;
mod dataflow_versions;
mod dataflows;
mod designer;
mod login;
mod not_found;
mod object_access;
mod roles;
mod run_actions;
mod run_chart;
mod run_detail;
mod run_filters;
mod run_logs;
mod run_report;
mod run_table;
mod runs;
mod runs_by_hour;
mod schedule_actions;
mod schedule_delete;
mod schedule_detail;
mod schedule_edit_state;
mod schedule_editor;
mod schedule_fire_times;
mod schedule_fires;
mod schedule_new;
mod schedule_options;
mod schedule_trigger;
mod schedules;
mod service_console;
mod service_detail;
mod service_inputs;
mod service_result;
mod services;
mod token_create;
mod tokens;
mod users;

pub use login::LoginPage;

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos::wasm_split::{SplitLoaderError, wasm_split};

use crate::route::Route;

pub fn page_for(route: Route) -> AnyView {
    match route {
        Route::Login => view! { <LoginPage /> }.into_any(),
        Route::Dataflows => view! { <dataflows::DataflowsPage /> }.into_any(),
        Route::Dataflow(name) => view! { <dataflow_detail::DataflowPage name /> }.into_any(),
        Route::DataflowDesign(name) => on_demand("designer", designer_page(name)),
        Route::NotFound(path) => view! { <not_found::NotFoundPage path /> }.into_any(),
        section => on_demand("page", section_page(section)),
    }
}

// The console starts with the sign-in and dataflow pages only. The designer is a module of its
// own, and so are the other sections together (runs, schedules, services, connections,
// administration): the browser fetches a module's code the first time one of its pages opens.
// One module for all the sections keeps the code they share with the designer in one chunk
// (`chunk_<n>.wasm`) instead of many small ones, each with its own request and overhead.

#[wasm_split(designer, wasm_split_path = ::leptos::wasm_split, fallible)]
fn designer_page(name: String) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <designer::DesignerPage name /> }.into_any())
}

#[wasm_split(sections, wasm_split_path = ::leptos::wasm_split, fallible)]
fn section_page(route: Route) -> Result<AnyView, SplitLoaderError> {
    Ok(match route {
        Route::Runs => view! { <runs::RunsPage /> }.into_any(),
        Route::Run(id) => view! { <run_detail::RunPage id /> }.into_any(),
        Route::Schedules => view! { <schedules::SchedulesPage /> }.into_any(),
        Route::ScheduleNew => view! { <schedule_new::NewSchedulePage /> }.into_any(),
        Route::Schedule(id) => view! { <schedule_detail::SchedulePage id /> }.into_any(),
        Route::Services => view! { <services::ServicesPage /> }.into_any(),
        Route::Service(name) => view! { <service_detail::ServicePage name /> }.into_any(),
        Route::Connections => view! { <connections::ConnectionsPage /> }.into_any(),
        Route::Admin => view! { <admin::AdminPage /> }.into_any(),
        Route::Tokens => view! { <tokens::TokensPage /> }.into_any(),
        Route::Users => view! { <users::UsersPage /> }.into_any(),
        Route::Roles => view! { <roles::RolesPage /> }.into_any(),
        Route::Audit => view! { <audit::AuditPage /> }.into_any(),
        Route::Cluster => view! { <cluster::ClusterPage /> }.into_any(),
        // The pages above are the only ones `page_for` sends here.
        other => view! { <not_found::NotFoundPage path=other.path() /> }.into_any(),
    })
}

/// A page whose code arrives with `page`: a note while it loads, and if the module cannot be
/// fetched (the node was updated since this page loaded, or the network failed) a message asking
/// to reload. Not a `Suspense`: that would also wait on every resource the page reads, and swap
/// the whole page for its fallback each time one of them reloads.
fn on_demand(
    what: &'static str,
    page: impl Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
) -> AnyView {
    let arrived = RwSignal::new_local(None::<AnyView>);
    // Built under this page's owner (so it is cleaned up with it) and dropped if the user moves
    // on before the module arrives; nothing read while building it re-runs the caller.
    untrack(|| {
        spawn_local_scoped_with_cancellation(async move {
            let view = page.await.unwrap_or_else(|_| {
                view! {
                    <p class="error" id="page-load-error">
                        {format!("The {what} could not be loaded. Reload the page to try again.")}
                    </p>
                }
                .into_any()
            });
            arrived.try_set(Some(view));
        });
    });
    (move || {
        arrived.track();
        arrived.try_update_untracked(Option::take).flatten().unwrap_or_else(|| {
            view! { <p class="loading" id="page-loading">{format!("Loading the {what}…")}</p> }.into_any()
        })
    })
    .into_any()
}
