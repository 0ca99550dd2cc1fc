//! Vigil's native engine: the SQLite store, the connectors that sync incidents into it, the demo
//! workspace, and the `vigil` command-line tool. The desktop app's commands are thin calls into
//! this crate, and the CLI uses the same code, so both see the same numbers.

pub mod alerting;
pub mod backup;
pub mod cli;
pub mod connectors;
pub mod demo;
pub mod diagnostics;
pub mod error;
pub mod export_all;
pub mod fmea;
pub mod http;
pub mod import;
pub mod logging;
pub mod paths;
pub mod postmortem;
pub mod schedule;
pub mod secrets;
pub mod store;
pub mod sync;

pub use error::{EngineError, Result};
pub use store::Store;
