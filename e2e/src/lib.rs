//! End-to-end fixtures: real `tributary serve` processes on fresh databases, and real headless
//! Chromium driven through chromedriver. Every wait has a deadline; nothing sleeps blindly.
//!
//! # Layout
//! - [`wait`]: polling a condition until a deadline.
//! - [`pg`]: a uniquely named database on the local PostgreSQL, dropped afterwards.
//! - [`pg_cluster`]: a throwaway PostgreSQL server of our own (stop, `kill -9`, restart, hot
//!   standby) for fault tests.
//! - [`node`]: a `tributary serve` child process, ready when `/readyz` says so, killed on drop.
//! - [`cluster`]: N nodes on one database and one shared data directory, on fixed ports so a
//!   node can be killed, drained, restarted or added.
//! - [`haproxy`]: HAProxy from the shipped `deploy/haproxy.cfg` in front of the nodes, and its
//!   view of them through the runtime API.
//! - [`dataflows`]: the dataflow documents and input files the scenarios share.
//! - [`load`]: concurrent clients sending one request over and over, counting failures.
//! - [`api`]: a signed-in REST client with the calls the scenarios share.
//! - [`scenario`]: nodes behind HAProxy, service load and slow jobs the cluster tests share.
//! - [`browser`]: chromedriver + Chromium with a fresh profile and download directory,
//!   screenshots under `target/`.
//! - [`admin`]: signing users in and driving the administration pages.
//! - [`designer`]: driving the designer page (palette drops, ports, options, saves, imports,
//!   frame timing) and the dataflows its scenarios start from.

pub mod admin;
pub mod api;
pub mod browser;
pub mod cluster;
pub mod dataflows;
pub mod designer;
pub mod haproxy;
pub mod load;
pub mod node;
pub mod pg;
pub mod pg_cluster;
pub mod scenario;
pub mod wait;
