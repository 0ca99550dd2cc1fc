//! The only door to the app: every Tauri command and event subscription goes through here.
//!
//! The window is built with `withGlobalTauri: false`, so there is no `window.__TAURI__`; the
//! webview always injects `window.__TAURI_INTERNALS__`, whose `invoke` and `transformCallback`
//! are what `@tauri-apps/api` itself calls. A rejected promise (the command returned `Err`, the
//! capability denies it, or the page runs outside Tauri) becomes a [`CommandError`] value, so a
//! failure is shown in the page and never panics.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use vigil_core::api::{
    AppInfo, CommandError, IncidentDetail, IncidentPage, IncidentQuery, SourceView, SyncReport,
};
use vigil_core::metrics::{MetricsReport, MetricsRequest};
use vigil_core::{IncidentId, SourceId, SourceKind};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `__TAURI_INTERNALS__.invoke(cmd, args)`: a promise of the command's serialised result.
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = invoke)]
    fn tauri_invoke(cmd: &str, args: JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `__TAURI_INTERNALS__.transformCallback(fn, once)`: registers a function the app can call
    /// back and returns its numeric id.
    #[wasm_bindgen(
        catch,
        js_namespace = ["window", "__TAURI_INTERNALS__"],
        js_name = transformCallback
    )]
    fn tauri_transform_callback(
        callback: &js_sys::Function,
        once: bool,
    ) -> Result<JsValue, JsValue>;
}

/// Calls a command and decodes its result.
async fn invoke<T: DeserializeOwned>(cmd: &str, args: &impl Serialize) -> Result<T, CommandError> {
    let value = invoke_value(cmd, args).await?;
    serde_wasm_bindgen::from_value(value).map_err(|e| CommandError {
        kind: "ipc".to_owned(),
        message: format!("The answer of `{cmd}` could not be read ({e}). Is the app up to date?"),
    })
}

/// Calls a command and returns its raw result.
async fn invoke_value(cmd: &str, args: &impl Serialize) -> Result<JsValue, CommandError> {
    let args = serde_wasm_bindgen::to_value(args).map_err(|e| CommandError {
        kind: "ipc".to_owned(),
        message: format!("The request `{cmd}` could not be encoded: {e}"),
    })?;
    let promise = tauri_invoke(cmd, args).map_err(|e| from_rejection(cmd, e))?;
    JsFuture::from(promise)
        .await
        .map_err(|e| from_rejection(cmd, e))
}

/// Reads a rejection: the app's `{kind, message}`, Tauri's own plain-string errors (unknown
/// command, permission denied), or a JavaScript exception (no Tauri bridge in this page).
fn from_rejection(cmd: &str, value: JsValue) -> CommandError {
    if let Ok(error) = serde_wasm_bindgen::from_value::<CommandError>(value.clone()) {
        return error;
    }
    let detail = if let Some(text) = value.as_string() {
        text
    } else if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        String::from(error.message())
    } else {
        format!("{value:?}")
    };
    CommandError {
        kind: "ipc".to_owned(),
        message: format!("The app did not answer `{cmd}`: {detail}"),
    }
}

/// A command that takes no arguments.
#[derive(Serialize)]
struct NoArgs {}

/// Arguments naming one record. Tauri matches them by name: `id` on both sides.
#[derive(Serialize)]
struct IdArgs<T> {
    id: T,
}

/// What the app's version and file locations are.
pub async fn app_info() -> Result<AppInfo, CommandError> {
    invoke("app_info", &NoArgs {}).await
}

/// Tells the app that `page` is painted with its data, for the launch benchmark. Best effort:
/// a failure only loses a figure, so it is dropped.
pub async fn report_first_paint(page: &str) {
    #[derive(Serialize)]
    struct Args<'a> {
        page: &'a str,
    }
    let _ = invoke_value("report_first_paint", &Args { page }).await;
}

/// One page of incidents matching `query`, with counts and the filter choices.
pub async fn list_incidents(query: &IncidentQuery) -> Result<IncidentPage, CommandError> {
    #[derive(Serialize)]
    struct Args<'a> {
        query: &'a IncidentQuery,
    }
    invoke("list_incidents", &Args { query }).await
}

/// One incident with its timeline.
pub async fn get_incident(id: IncidentId) -> Result<IncidentDetail, CommandError> {
    invoke("get_incident", &IdArgs { id }).await
}

/// Every configured source.
pub async fn list_sources() -> Result<Vec<SourceView>, CommandError> {
    invoke("list_sources", &NoArgs {}).await
}

/// What the "Add source" form sends.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewSourceForm {
    /// The vendor.
    pub kind: SourceKind,
    /// The name the person gave it.
    pub name: String,
    /// The API's base URL.
    pub base_url: String,
    /// The API token; it goes to the keychain and never comes back.
    pub token: String,
    /// Statuspage's page id (Statuspage only).
    pub page_id: Option<String>,
    /// How often it syncs on its own.
    pub interval_minutes: Option<u32>,
}

/// Adds a source of any vendor kind. Tauri expects argument names in camelCase (`base_url` in
/// Rust is `baseUrl` here), which the form's serde attribute gives.
pub async fn add_source(form: &NewSourceForm) -> Result<SourceView, CommandError> {
    invoke("add_source", form).await
}

/// Changes how often a source syncs on its own.
pub async fn set_sync_interval(id: SourceId, minutes: u32) -> Result<SourceView, CommandError> {
    #[derive(Serialize)]
    struct Args {
        id: SourceId,
        minutes: u32,
    }
    invoke("set_sync_interval", &Args { id, minutes }).await
}

/// Removes a source, its token and its cached incidents.
pub async fn remove_source(id: SourceId) -> Result<(), CommandError> {
    invoke_value("remove_source", &IdArgs { id })
        .await
        .map(drop)
}

/// Runs a sync of one source to the end; progress arrives as `sync-progress` events meanwhile.
pub async fn sync_source(id: SourceId) -> Result<SyncReport, CommandError> {
    invoke("sync_source", &IdArgs { id }).await
}

/// Everything the Metrics page shows for `request`.
pub async fn metrics_report(request: &MetricsRequest) -> Result<MetricsReport, CommandError> {
    #[derive(Serialize)]
    struct Args<'a> {
        request: &'a MetricsRequest,
    }
    invoke("metrics_report", &Args { request }).await
}

/// Saves a chart as `format` (`"svg"` or `"png"`) where the user picks in the app's save
/// dialog, suggesting `name`; `None` when the dialog was closed.
pub async fn export_chart(
    svg: &str,
    format: &str,
    name: &str,
) -> Result<Option<String>, CommandError> {
    #[derive(Serialize)]
    struct Args<'a> {
        svg: &'a str,
        format: &'a str,
        name: &'a str,
    }
    invoke("export_chart", &Args { svg, format, name }).await
}

/// Saves a table as CSV (first row the header) where the user picks, suggesting `name`;
/// `None` when the dialog was closed.
pub async fn export_csv(rows: &[Vec<String>], name: &str) -> Result<Option<String>, CommandError> {
    #[derive(Serialize)]
    struct Args<'a> {
        rows: &'a [Vec<String>],
        name: &'a str,
    }
    invoke("export_csv", &Args { rows, name }).await
}

/// An event as Tauri delivers it to a listener.
#[derive(Deserialize)]
struct EventEnvelope<T> {
    payload: T,
}

/// Subscribes `handler` to an app event for the life of the window, the way `@tauri-apps/api`'s
/// `listen` does: register the callback, then ask the event plugin to route the event to it.
/// Listeners are never removed, so the callback is deliberately leaked.
pub async fn listen<T, F>(event: &str, handler: F) -> Result<(), CommandError>
where
    T: DeserializeOwned + 'static,
    F: Fn(Result<T, CommandError>) + 'static,
{
    let name = event.to_owned();
    let callback = Closure::<dyn Fn(JsValue)>::new(move |raw: JsValue| {
        let decoded = serde_wasm_bindgen::from_value::<EventEnvelope<T>>(raw)
            .map(|envelope| envelope.payload)
            .map_err(|e| CommandError {
                kind: "ipc".to_owned(),
                message: format!("The event `{name}` could not be read ({e})."),
            });
        handler(decoded);
    });
    let handler_id = tauri_transform_callback(callback.as_ref().unchecked_ref(), false)
        .map_err(|e| from_rejection("plugin:event|listen", e))?;
    callback.forget();

    #[derive(Serialize)]
    struct Target {
        kind: &'static str,
    }
    #[derive(Serialize)]
    struct Args<'a> {
        event: &'a str,
        target: Target,
        #[serde(with = "serde_wasm_bindgen::preserve")]
        handler: JsValue,
    }
    let args = Args {
        event,
        target: Target { kind: "Any" },
        handler: handler_id,
    };
    invoke_value("plugin:event|listen", &args).await.map(drop)
}
