//! Vigil's window: a Leptos client-side app compiled to WebAssembly and shown by the Tauri shell.
//!
//! The layers, from the outside in:
//! - [`format`](mod@format) turns instants and durations into the words people read; it is
//!   pure, so it also builds natively and carries the crate's unit tests.
//! - `ipc` is the only module that talks to the app: every Tauri command and event subscription
//!   goes through it, and a command's failure arrives as a [`vigil_core::api::CommandError`]
//!   value, never as a panic.
//! - `events` and `sync` hold the app-wide state fed by the app's events.
//! - `app` is the shell (header, navigation, router); `pages` has one module per screen and
//!   `components` the pieces they share.
//!
//! Everything but [`format`](mod@format) exists only for `wasm32`: the app cannot run outside a
//! webview.

pub mod format;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod events;
#[cfg(target_arch = "wasm32")]
mod ipc;
#[cfg(target_arch = "wasm32")]
mod pages;
#[cfg(target_arch = "wasm32")]
mod sync;

/// Starts the app: reports panics to the console and mounts the shell into `<body>`.
#[cfg(target_arch = "wasm32")]
pub fn run() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
