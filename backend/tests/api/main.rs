//! Backend integration tests: each test gets a fresh database (a SQLite file, or a uniquely
//! named PostgreSQL database on the local server) and a node serving on `127.0.0.1:0`.
//! [`both!`] runs a test against both stores.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is a failed test

mod access;
mod access_table;
mod app;
mod audit;
mod auth;
mod cli;
mod connections;
mod console;
mod dataflows;
mod input;
mod openapi;
mod processes;
mod runs;
mod schedules;
mod security;
mod services;
mod store;
mod transfer_cli;
mod users;
mod users_cli;

/// Declare `sqlite::name` and `postgres::name` tests that run `name(app)` on each store.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::app::TestApp::sqlite().await).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::app::TestApp::postgres().await).await })*
        }
    };
}
