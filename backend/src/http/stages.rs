//! `GET /stages`: the stage catalog the designer builds its palette and forms from.

use axum::Router;
use axum::routing::get;
use model::{Page, StageSpec};

use super::extract::AppJson;
use crate::auth::{Permission, Principal};
use crate::error::AppResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/stages", get(list))
}

#[utoipa::path(
    get,
    path = "/api/v1/stages",
    tag = "stages",
    responses((status = 200, description = "The stage catalog: ports and option schemas", body = model::Page<model::StageSpec>))
)]
pub(super) async fn list(principal: Principal) -> AppResult<AppJson<Page<StageSpec>>> {
    principal.require(Permission::DataflowsView)?;
    Ok(AppJson(Page { items: model::catalog(), next_cursor: None }))
}
