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

use crate::route::Route;

pub fn page_for(route: Route) -> AnyView {
    match route {
        Route::Login => view! { <LoginPage /> }.into_any(),
        Route::Dataflows => view! { <dataflows::DataflowsPage /> }.into_any(),
        Route::Dataflow(name) => view! { <dataflow_detail::DataflowPage name /> }.into_any(),
        Route::DataflowDesign(name) => view! { <designer::DesignerPage name /> }.into_any(),
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
        Route::NotFound(path) => view! { <not_found::NotFoundPage path /> }.into_any(),
    }
}
