//! How a failure is shown: in the page, in the words of the [`CommandError`], never only in the
//! console. Every page puts one where its content would be.

use leptos::prelude::*;
use vigil_core::api::CommandError;

/// A red banner with the error's message and its kind (for a bug report), and a "Dismiss" button
/// when the page can go on without the failed action.
#[component]
pub fn ErrorBanner(
    /// The failure to show.
    error: CommandError,
    /// Called by the "Dismiss" button; no button without it.
    #[prop(optional)]
    on_dismiss: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="error-banner" role="alert" data-testid="error-banner">
            <span class="error-message">{error.message}</span>
            <span class="error-kind">{format!("({})", error.kind)}</span>
            {on_dismiss
                .map(|dismiss| {
                    view! {
                        <button
                            type="button"
                            class="link-button"
                            aria-label="Dismiss error"
                            on:click=move |_| dismiss.run(())
                        >
                            "Dismiss"
                        </button>
                    }
                })}
        </div>
    }
}

/// The banner of an error slot: shows what `holder` holds and empties it on "Dismiss".
#[component]
pub fn ErrorSlot(
    /// Where the page's actions put their failure.
    holder: RwSignal<Option<CommandError>>,
) -> impl IntoView {
    move || {
        holder.get().map(|error| {
            view! { <ErrorBanner error on_dismiss=Callback::new(move |()| holder.set(None)) /> }
        })
    }
}
