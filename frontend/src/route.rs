//! The console's addresses: which [`Route`] a path means, which path a route has, and (in
//! [`history`]) how the browser's history drives the current route.

mod history;

pub use history::{navigate, use_route};

use crate::format::short_id;
use crate::percent::{decode_segment, encode_segment};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Login,
    Dataflows,
    Dataflow(String),
    /// The designer of one dataflow, by name.
    DataflowDesign(String),
    Runs,
    /// One run, by id.
    Run(String),
    Schedules,
    /// The editor of a schedule not saved yet.
    ScheduleNew,
    /// One schedule, by id: its next fire times, fire log and editor.
    Schedule(String),
    Services,
    /// One service's endpoints and try-it console, by name.
    Service(String),
    Connections,
    Admin,
    /// The signed-in user's API tokens.
    Tokens,
    /// Users: roles, enabled, passwords.
    Users,
    /// Roles and their permissions.
    Roles,
    /// The audit log with its filters.
    Audit,
    Cluster,
    /// Any other path, kept so the page can say what was asked for.
    NotFound(String),
}

impl Route {
    /// Reads `location.pathname`; `/` is the dataflow list and a trailing slash is ignored.
    pub fn parse(pathname: &str) -> Self {
        let segments: Vec<&str> = pathname.trim_end_matches('/').split('/').skip(1).collect();
        match segments.as_slice() {
            [] | ["dataflows"] => Self::Dataflows,
            ["login"] => Self::Login,
            ["dataflows", name] if !name.is_empty() => Self::Dataflow(decode_segment(name)),
            ["dataflows", name, "design"] if !name.is_empty() => Self::DataflowDesign(decode_segment(name)),
            ["runs"] => Self::Runs,
            ["runs", id] if !id.is_empty() => Self::Run(decode_segment(id)),
            ["schedules"] => Self::Schedules,
            ["schedules", "new"] => Self::ScheduleNew,
            ["schedules", id] if !id.is_empty() => Self::Schedule(decode_segment(id)),
            ["services"] => Self::Services,
            ["services", name] if !name.is_empty() => Self::Service(decode_segment(name)),
            ["connections"] => Self::Connections,
            ["admin"] => Self::Admin,
            ["tokens"] => Self::Tokens,
            ["users"] => Self::Users,
            ["roles"] => Self::Roles,
            ["audit"] => Self::Audit,
            ["cluster"] => Self::Cluster,
            _ => Self::NotFound(pathname.to_owned()),
        }
    }

    pub fn path(&self) -> String {
        match self {
            Self::Login => "/login".into(),
            Self::Dataflows => "/dataflows".into(),
            Self::Dataflow(name) => format!("/dataflows/{}", encode_segment(name)),
            Self::DataflowDesign(name) => format!("/dataflows/{}/design", encode_segment(name)),
            Self::Runs => "/runs".into(),
            Self::Run(id) => format!("/runs/{}", encode_segment(id)),
            Self::Schedules => "/schedules".into(),
            Self::ScheduleNew => "/schedules/new".into(),
            Self::Schedule(id) => format!("/schedules/{}", encode_segment(id)),
            Self::Services => "/services".into(),
            Self::Service(name) => format!("/services/{}", encode_segment(name)),
            Self::Connections => "/connections".into(),
            Self::Admin => "/admin".into(),
            Self::Tokens => "/tokens".into(),
            Self::Users => "/users".into(),
            Self::Roles => "/roles".into(),
            Self::Audit => "/audit".into(),
            Self::Cluster => "/cluster".into(),
            Self::NotFound(path) => path.clone(),
        }
    }

    /// The navigation entry this route belongs to (its `data-nav` value).
    pub fn nav_key(&self) -> Option<&'static str> {
        match self {
            Self::Dataflows | Self::Dataflow(_) | Self::DataflowDesign(_) => Some("dataflows"),
            Self::Runs | Self::Run(_) => Some("runs"),
            Self::Schedules | Self::ScheduleNew | Self::Schedule(_) => Some("schedules"),
            Self::Services | Self::Service(_) => Some("services"),
            Self::Connections => Some("connections"),
            Self::Admin => Some("admin"),
            Self::Tokens => Some("tokens"),
            Self::Users => Some("users"),
            Self::Roles => Some("roles"),
            Self::Audit => Some("audit"),
            Self::Cluster => Some("cluster"),
            Self::Login | Self::NotFound(_) => None,
        }
    }

    /// The document title, most specific part first so browser tabs stay tellable apart.
    pub fn title(&self) -> String {
        let page = match self {
            Self::Login => "Sign in",
            Self::Dataflows => "Dataflows",
            Self::Dataflow(name) => return format!("{name} · Dataflows · Tributary"),
            Self::DataflowDesign(name) => return format!("{name} · Designer · Tributary"),
            Self::Runs => "Runs",
            Self::Run(id) => return format!("Run {} · Runs · Tributary", short_id(id)),
            Self::Schedules => "Schedules",
            Self::ScheduleNew => return "New schedule · Schedules · Tributary".into(),
            Self::Schedule(id) => return format!("Schedule {} · Schedules · Tributary", short_id(id)),
            Self::Services => "Services",
            Self::Service(name) => return format!("{name} · Services · Tributary"),
            Self::Connections => "Connections",
            Self::Admin => "Administration",
            Self::Tokens => "API tokens",
            Self::Users => "Users",
            Self::Roles => "Roles",
            Self::Audit => "Audit log",
            Self::Cluster => "Cluster",
            Self::NotFound(_) => "Page not found",
        };
        format!("{page} · Tributary")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_and_trailing_slashes_mean_the_dataflow_list() {
        assert_eq!(Route::parse("/"), Route::Dataflows);
        assert_eq!(Route::parse(""), Route::Dataflows);
        assert_eq!(Route::parse("/dataflows/"), Route::Dataflows);
    }

    #[test]
    fn every_route_survives_a_round_trip() {
        let routes = [
            Route::Login,
            Route::Dataflows,
            Route::Dataflow("orders-daily".into()),
            Route::Dataflow("with space".into()),
            Route::DataflowDesign("orders-daily".into()),
            Route::Runs,
            Route::Run("0b7e3c52-9d1f-4e1a-8c7e-5f2a9b3d1c00".into()),
            Route::Schedules,
            Route::ScheduleNew,
            Route::Schedule("3f2a9b3d-1c00-4e1a-8c7e-0b7e3c529d1f".into()),
            Route::Services,
            Route::Service("price check".into()),
            Route::Connections,
            Route::Admin,
            Route::Tokens,
            Route::Users,
            Route::Roles,
            Route::Audit,
            Route::Cluster,
        ];
        for route in routes {
            assert_eq!(Route::parse(&route.path()), route);
        }
    }

    #[test]
    fn unknown_paths_are_kept_for_the_not_found_page() {
        assert_eq!(Route::parse("/nope"), Route::NotFound("/nope".into()));
        assert_eq!(Route::parse("/dataflows/a/b"), Route::NotFound("/dataflows/a/b".into()));
        assert_eq!(Route::parse("/runs/a/logs"), Route::NotFound("/runs/a/logs".into()));
    }

    #[test]
    fn a_run_is_found_by_its_id() {
        assert_eq!(Route::parse("/runs/abc-123"), Route::Run("abc-123".into()));
        assert_eq!(Route::parse("/runs/abc-123/"), Route::Run("abc-123".into()));
        assert_eq!(Route::Run("abc-123".into()).nav_key(), Some("runs"));
    }

    #[test]
    fn run_titles_use_the_short_id() {
        let route = Route::Run("0b7e3c52-9d1f-4e1a-8c7e-5f2a9b3d1c00".into());
        assert_eq!(route.title(), "Run 0b7e3c52 · Runs · Tributary");
    }

    #[test]
    fn new_and_saved_schedules_have_their_own_pages() {
        assert_eq!(Route::parse("/schedules/new"), Route::ScheduleNew);
        assert_eq!(Route::parse("/schedules/abc/"), Route::Schedule("abc".into()));
        assert_eq!(Route::Schedule("abc".into()).nav_key(), Some("schedules"));
        assert_eq!(Route::parse("/schedules/abc/fires"), Route::NotFound("/schedules/abc/fires".into()));
    }

    #[test]
    fn the_designer_lives_under_its_dataflow() {
        assert_eq!(Route::parse("/dataflows/orders/design"), Route::DataflowDesign("orders".into()));
        assert_eq!(Route::DataflowDesign("a b".into()).path(), "/dataflows/a%20b/design");
        assert_eq!(Route::DataflowDesign("orders".into()).nav_key(), Some("dataflows"));
        assert_eq!(
            Route::parse("/dataflows/orders/other"),
            Route::NotFound("/dataflows/orders/other".into())
        );
    }
}
