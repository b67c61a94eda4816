//! `GET /audit`: the audit log, filtered and a page at a time.

use model::{AuditEvent, AuditQuery, Page};

use super::ApiResult;
use super::client::{fetch_json, get};

/// The query string of `query`: empty filters are left out, so they do not filter.
pub fn audit_query(query: &AuditQuery) -> Vec<(&'static str, String)> {
    let fields = [
        ("actor", &query.actor),
        ("action", &query.action),
        ("resource", &query.resource),
        ("outcome", &query.outcome),
        ("since", &query.since),
        ("until", &query.until),
        ("cursor", &query.cursor),
    ];
    let mut pairs: Vec<(&'static str, String)> = fields
        .into_iter()
        .filter_map(|(name, value)| {
            value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(|v| (name, v.to_owned()))
        })
        .collect();
    if let Some(limit) = query.limit {
        pairs.push(("limit", limit.to_string()));
    }
    pairs
}

/// One page of the log, newest first.
pub async fn list_audit(query: &AuditQuery) -> ApiResult<Page<AuditEvent>> {
    fetch_json(get("/audit").query(audit_query(query))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_filters_are_left_out() {
        let query = AuditQuery {
            actor: Some(" ".into()),
            action: Some("auth:".into()),
            since: Some("2026-01-01T00:00:00Z".into()),
            limit: Some(50),
            ..AuditQuery::default()
        };
        assert_eq!(
            audit_query(&query),
            vec![
                ("action", "auth:".to_owned()),
                ("since", "2026-01-01T00:00:00Z".to_owned()),
                ("limit", "50".to_owned())
            ]
        );
    }
}
