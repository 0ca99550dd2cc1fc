//! The form that adds a PagerDuty account. The token field is a password input and is emptied
//! once the source is added: the token goes to the keychain through the app and never comes back
//! to the window.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::api::CommandError;

use super::SourcesResource;
use crate::ipc;

/// PagerDuty's REST API, the usual base URL (EU accounts use `https://api.eu.pagerduty.com`).
const DEFAULT_BASE_URL: &str = "https://api.pagerduty.com";

/// "Add PagerDuty source": name, base URL and API token.
#[component]
pub fn AddPagerDutyForm(
    sources: SourcesResource,
    action_error: RwSignal<Option<CommandError>>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let base_url = RwSignal::new(DEFAULT_BASE_URL.to_owned());
    let token = RwSignal::new(String::new());
    let adding = RwSignal::new(false);
    let added = RwSignal::new(None::<String>);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if adding.get_untracked() {
            return;
        }
        let (n, u, t) = (
            name.get_untracked().trim().to_owned(),
            base_url.get_untracked().trim().to_owned(),
            token.get_untracked().trim().to_owned(),
        );
        if n.is_empty() || u.is_empty() || t.is_empty() {
            action_error.set(Some(CommandError {
                kind: "bad_input".to_owned(),
                message: "Give the source a name, a base URL and an API token.".to_owned(),
            }));
            return;
        }
        adding.set(true);
        added.set(None);
        spawn_local(async move {
            let outcome = ipc::add_pagerduty_source(&n, &u, &t).await;
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
            <h2>"Add PagerDuty source"</h2>
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
