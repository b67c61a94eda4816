//! Permissions (`resource:action`) and the built-in roles that grant them (DESIGN §8).

/// Declares [`Permission`] with its `resource:action` names and the list of all of them.
macro_rules! permissions {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// Every permission an endpoint can require.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Permission { $($variant),* }

        impl Permission {
            pub const ALL: &'static [Permission] = &[$(Permission::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Permission::$variant => $name),* }
            }
        }
    };
}

permissions! {
    DataflowsView => "dataflows:view",
    DataflowsEdit => "dataflows:edit",
    DataflowsExpose => "dataflows:expose",
    DataflowsExecute => "dataflows:execute",
    RunsView => "runs:view",
    RunsCancel => "runs:cancel",
    SchedulesView => "schedules:view",
    SchedulesEdit => "schedules:edit",
    ServicesCall => "services:call",
    ConnectionsView => "connections:view",
    ConnectionsEdit => "connections:edit",
    UsersView => "users:view",
    UsersEdit => "users:edit",
    RolesView => "roles:view",
    RolesEdit => "roles:edit",
    AuditView => "audit:view",
    ClusterView => "cluster:view",
    ClusterManage => "cluster:manage",
}

/// A role every installation has; its permissions follow the code, not the database.
pub struct BuiltinRole {
    pub name: &'static str,
    pub description: &'static str,
    pub permissions: &'static [Permission],
}

use Permission::*;

pub const BUILTIN_ROLES: &[BuiltinRole] = &[
    BuiltinRole {
        name: "admin",
        description: "Everything, including users, roles and the cluster",
        permissions: Permission::ALL,
    },
    BuiltinRole {
        name: "designer",
        description: "Builds, tests and exposes dataflows",
        permissions: &[
            DataflowsView,
            DataflowsEdit,
            DataflowsExpose,
            DataflowsExecute,
            RunsView,
            RunsCancel,
            SchedulesView,
            ServicesCall,
            ConnectionsView,
            ClusterView,
        ],
    },
    BuiltinRole {
        name: "operator",
        description: "Runs and schedules exposed dataflows, watches the cluster",
        permissions: &[
            DataflowsView,
            DataflowsExecute,
            RunsView,
            RunsCancel,
            SchedulesView,
            SchedulesEdit,
            ServicesCall,
            ConnectionsView,
            ClusterView,
        ],
    },
    BuiltinRole {
        name: "viewer",
        description: "Reads dataflows, runs and schedules",
        permissions: &[DataflowsView, RunsView, SchedulesView, ClusterView],
    },
    BuiltinRole {
        name: "integration",
        description: "For API tokens of other systems: runs jobs and calls services",
        permissions: &[DataflowsView, DataflowsExecute, RunsView, ServicesCall],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_names_are_unique_resource_action_pairs() {
        let mut seen = std::collections::HashSet::new();
        for p in Permission::ALL {
            let (resource, action) = p.as_str().split_once(':').expect("resource:action");
            assert!(!resource.is_empty() && !action.is_empty());
            assert!(seen.insert(p.as_str()));
        }
    }

    #[test]
    fn only_admin_manages_users_and_viewer_changes_nothing() {
        for role in BUILTIN_ROLES {
            assert_eq!(role.permissions.contains(&UsersEdit), role.name == "admin", "{}", role.name);
        }
        let viewer = BUILTIN_ROLES.iter().find(|r| r.name == "viewer").expect("viewer");
        assert!(viewer.permissions.iter().all(|p| p.as_str().ends_with(":view")));
    }
}
