//! [`Principal`]: the authenticated caller, extracted from the session cookie or a bearer
//! token, with the permissions of their roles. Every protected handler takes one and calls
//! [`Principal::require`].

use std::collections::BTreeSet;

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use model::ErrorCode;

use super::{Permission, SESSION_COOKIE};
use crate::error::AppError;
use crate::service::sessions;
use crate::state::AppState;

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// The digest of the session cookie's value.
    Session(String),
    /// The id of the API token.
    Token(String),
}

#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: String,
    pub username: String,
    pub roles: Vec<String>,
    pub permissions: BTreeSet<String>,
    pub credential: Credential,
}

impl Principal {
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(permission.as_str())
    }

    /// `403 forbidden` naming the missing permission, unless the caller has it.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(AppError::new(
                ErrorCode::Forbidden,
                format!("this needs the permission {}", permission.as_str()),
            ))
        }
    }

    /// The same caller holding `permission` too: what a grant on one object gives them for a
    /// request about that object.
    pub fn granted(mut self, permission: Permission) -> Self {
        self.permissions.insert(permission.as_str().to_owned());
        self
    }

    pub fn me(&self) -> model::Me {
        model::Me {
            username: self.username.clone(),
            roles: self.roles.clone(),
            permissions: self.permissions.iter().cloned().collect(),
        }
    }
}

/// The raw secret the request carries: a bearer token wins over a cookie.
pub enum Presented {
    Bearer(String),
    Cookie(String),
}

pub fn presented_credential(parts: &Parts) -> Option<Presented> {
    if let Some(value) = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?;
        return Some(Presented::Bearer(token.trim().to_owned()));
    }
    session_cookie(parts).map(Presented::Cookie)
}

pub fn session_cookie(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Set by the access layer on object-scoped requests: the caller with what an override
        // on that one object grants them.
        if let Some(principal) = parts.extensions.get::<Principal>() {
            return Ok(principal.clone());
        }
        let Some(presented) = presented_credential(parts) else {
            return Err(AppError::new(
                ErrorCode::Unauthenticated,
                "sign in or send an API token (Authorization: Bearer …)",
            ));
        };
        if matches!(presented, Presented::Cookie(_)) {
            super::csrf::check_cookie_write(parts)?;
        }
        let digest = match &presented {
            Presented::Bearer(secret) | Presented::Cookie(secret) => crate::auth::secret::digest(secret),
        };
        if let Some(principal) = state.principals.get(&digest) {
            return Ok(principal);
        }
        let principal = sessions::authenticate(&state.db, presented).await?;
        state.principals.put(digest, principal.clone());
        Ok(principal)
    }
}
