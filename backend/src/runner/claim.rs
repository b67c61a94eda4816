//! Taking the oldest queued runs this node can serve.

use chrono::{TimeDelta, Utc};
use entities::runs;
use model::RunStatus;
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::state::AppState;

/// How long a claimed run belongs to its node without renewal.
pub fn lease(state: &AppState) -> TimeDelta {
    lease_for(&state.config)
}

/// [`lease`] from the node's configuration.
pub fn lease_for(config: &crate::config::Config) -> TimeDelta {
    TimeDelta::from_std(config.run_lease).unwrap_or(TimeDelta::seconds(30))
}

/// Every value of `required_modules` this node satisfies: each subset of its modules besides
/// `core`, sorted and comma-joined (the empty string for core-only dataflows).
fn servable(modules: &[String]) -> Vec<String> {
    let extra: Vec<&String> = modules.iter().filter(|m| *m != "core").collect();
    let mut sets = Vec::new();
    for mask in 0u32..(1 << extra.len()) {
        let mut chosen: Vec<&str> =
            extra.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, m)| m.as_str()).collect();
        chosen.sort_unstable();
        sets.push(chosen.join(","));
    }
    sets
}

/// Whether a node with `modules` can execute a run that needs `required_modules`.
pub fn serves(modules: &[String], required_modules: &str) -> bool {
    servable(modules).iter().any(|set| set == required_modules)
}

/// Claim up to `count` of the oldest queued runs this node can serve, in one statement.
pub async fn claim(state: &AppState, count: usize) -> Result<Vec<runs::Model>, DbErr> {
    let txn = crate::store::begin_write(&state.db).await?;
    let ids: Vec<String> = runs::Entity::find()
        .select_only()
        .column(runs::Column::Id)
        .filter(runs::Column::Status.eq(RunStatus::Queued.as_str()))
        .filter(runs::Column::RequiredModules.is_in(servable(&state.config.modules)))
        .filter(
            Condition::any()
                .add(runs::Column::NotBefore.is_null())
                .add(runs::Column::NotBefore.lte(Utc::now())),
        )
        .order_by_asc(runs::Column::CreatedAt)
        .limit(u64::try_from(count).unwrap_or(1))
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .into_tuple()
        .all(&txn)
        .await?;
    if ids.is_empty() {
        txn.commit().await?;
        return Ok(Vec::new());
    }
    let now = Utc::now();
    let mut claimed = runs::Entity::update_many()
        .col_expr(runs::Column::Status, Expr::value(RunStatus::Running.as_str()))
        .col_expr(runs::Column::Node, Expr::value(state.node_name.to_string()))
        .col_expr(runs::Column::StartedAt, Expr::value(now))
        .col_expr(runs::Column::LeaseUntil, Expr::value(now + lease(state)))
        .filter(runs::Column::Id.is_in(ids))
        .filter(runs::Column::Status.eq(RunStatus::Queued.as_str()))
        .exec_with_returning(&txn)
        .await?;
    txn.commit().await?;
    claimed.sort_by_key(|run| run.created_at);
    Ok(claimed)
}

#[cfg(test)]
mod tests {
    use super::servable;

    #[test]
    fn a_node_serves_every_subset_of_its_modules() {
        let modules = |m: &[&str]| m.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(servable(&modules(&["core"])), vec![""]);
        let mut sets = servable(&modules(&["core", "quality", "address"]));
        sets.sort();
        assert_eq!(sets, vec!["", "address", "address,quality", "quality"]);
    }
}
