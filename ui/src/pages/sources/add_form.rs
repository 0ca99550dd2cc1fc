//! The form that adds a vendor account: PagerDuty, Opsgenie, incident.io, Grafana OnCall or
//! Statuspage. The token field is a password input and is emptied once the source is added: the
//! token goes to the keychain through the app and never comes back to the window.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::api::CommandError;
use vigil_core::SourceKind;

use super::SourcesResource;
use crate::ipc;

/// The kinds a person can add, in the order the form lists them.
const KINDS: [SourceKind; 5] = [
    SourceKind::PagerDuty,
    SourceKind::Opsgenie,
    SourceKind::IncidentIo,
    SourceKind::Grafana,
    SourceKind::Statuspage,
];

/// The usual base URL of each kind; Grafana OnCall's is the stack's own, so the form shows an
/// example instead.
fn default_base_url(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Opsgenie => "https://api.opsgenie.com",
        SourceKind::IncidentIo => "https://api.incident.io",
        SourceKind::Grafana => "https://oncall-prod-us-central-0.grafana.net/oncall",
        SourceKind::Statuspage => "https://api.statuspage.io",
        _ => "https://api.pagerduty.com",
    }
}

/// A hint under the base URL for the kinds where the usual one is not the only one.
fn base_url_hint(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::PagerDuty => "EU accounts: https://api.eu.pagerduty.com",
        SourceKind::Opsgenie => {
            "EU accounts: https://api.eu.opsgenie.com. Opsgenie's support ends on 5 April 2027."
        }
        SourceKind::Grafana => "The OnCall API URL shown in your stack's OnCall settings",
        _ => "",
    }
}

/// "Add source": kind, name, base URL, API token, the page for Statuspage, and the interval.
#[component]
pub fn AddSourceForm(
    sources: SourcesResource,
    action_error: RwSignal<Option<CommandError>>,
) -> impl IntoView {
    let kind = RwSignal::new(SourceKind::PagerDuty);
    let name = RwSignal::new(String::new());
    let base_url = RwSignal::new(default_base_url(SourceKind::PagerDuty).to_owned());
    let page_id = RwSignal::new(String::new());
    let interval = RwSignal::new(String::from("5"));
    let token = RwSignal::new(String::new());
    let adding = RwSignal::new(false);
    let added = RwSignal::new(None::<String>);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if adding.get_untracked() {
            return;
        }
        let chosen = kind.get_untracked();
        let page = page_id.get_untracked().trim().to_owned();
        let form = ipc::NewSourceForm {
            kind: chosen,
            name: name.get_untracked().trim().to_owned(),
            base_url: base_url.get_untracked().trim().to_owned(),
            token: token.get_untracked().trim().to_owned(),
            page_id: (chosen == SourceKind::Statuspage).then_some(page),
            interval_minutes: interval.get_untracked().trim().parse().ok(),
        };
        let missing = if form.name.is_empty() || form.base_url.is_empty() || form.token.is_empty() {
            Some("Give the source a name, a base URL and an API token.")
        } else if form.page_id.as_deref() == Some("") {
            Some("Give the Statuspage page id: the part after /pages/ in the page's API URL.")
        } else if form.interval_minutes.is_none() {
            Some("The sync interval is a whole number of minutes, 1 to 1440.")
        } else {
            None
        };
        if let Some(message) = missing {
            action_error.set(Some(CommandError {
                kind: "bad_input".to_owned(),
                message: message.to_owned(),
            }));
            return;
        }
        adding.set(true);
        added.set(None);
        spawn_local(async move {
            let outcome = ipc::add_source(&form).await;
            adding.try_set(false);
            match outcome {
                Ok(source) => {
                    name.try_set(String::new());
                    token.try_set(String::new());
                    added.try_set(Some(source.name));
                    action_error.try_set(None);
                    sources.refetch();
                }
                Err(error) => {
                    action_error.try_set(Some(error));
                }
            }
        });
    };

    view! {
        <form class="add-source" data-testid="add-source-form" on:submit=submit>
            <h2>"Add source"</h2>
            <label>
                <span>"Kind"</span>
                <select
                    name="kind"
                    on:change=move |ev| {
                        let picked = event_target_value(&ev);
                        let picked = KINDS
                            .into_iter()
                            .find(|k| k.as_str() == picked)
                            .unwrap_or(SourceKind::PagerDuty);
                        // Only a base URL the person did not type over follows the kind.
                        if KINDS.iter().any(|k| default_base_url(*k) == base_url.get_untracked()) {
                            base_url.set(default_base_url(picked).to_owned());
                        }
                        kind.set(picked);
                    }
                >
                    {KINDS
                        .into_iter()
                        .map(|k| view! { <option value=k.as_str()>{k.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                <span>"Name"</span>
                <input
                    type="text"
                    name="name"
                    placeholder="Production PagerDuty"
                    autocomplete="off"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </label>
            <label>
                <span>"Base URL"</span>
                <input
                    type="text"
                    name="base_url"
                    inputmode="url"
                    spellcheck="false"
                    prop:value=move || base_url.get()
                    on:input=move |ev| base_url.set(event_target_value(&ev))
                />
            </label>
            <p class="hint">{move || base_url_hint(kind.get())}</p>
            <Show when=move || kind.get() == SourceKind::Statuspage>
                <label>
                    <span>"Page id"</span>
                    <input
                        type="text"
                        name="page_id"
                        spellcheck="false"
                        autocomplete="off"
                        prop:value=move || page_id.get()
                        on:input=move |ev| page_id.set(event_target_value(&ev))
                    />
                </label>
            </Show>
            <label>
                <span>"Sync every (minutes)"</span>
                <input
                    type="number"
                    name="interval"
                    min="1"
                    max="1440"
                    prop:value=move || interval.get()
                    on:input=move |ev| interval.set(event_target_value(&ev))
                />
            </label>
            <label>
                <span>"API token"</span>
                <input
                    type="password"
                    name="token"
                    autocomplete="off"
                    prop:value=move || token.get()
                    on:input=move |ev| token.set(event_target_value(&ev))
                />
            </label>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || adding.get()>
                    {move || if adding.get() { "Adding…" } else { "Add source" }}
                </button>
                {move || {
                    added
                        .get()
                        .map(|name| view! { <span class="ok" role="status">"Added " {name}</span> })
                }}
            </div>
        </form>
    }
}
