//! The shell around every page: the header, the navigation list and the router. It also creates
//! the app-wide state (event counters, the sync board, the incident list's filters) so that it
//! survives moving between pages.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use vigil_core::api::{CommandError, IncidentQuery};
use vigil_core::IncidentId;

use crate::components::error_banner::ErrorSlot;
use crate::events::provide_app_events;
use crate::ipc;
use crate::pages::incident_detail::IncidentDetailPage;
use crate::pages::incidents::{IncidentListState, IncidentsPage};
use crate::pages::metrics::MetricsPage;
use crate::pages::sources::SourcesPage;
use crate::sync::SyncBoard;

/// One entry of the navigation list. New areas (metrics, FMEA, postmortems) add a line here
/// and a route below.
struct NavItem {
    /// Where it leads.
    href: &'static str,
    /// What it says.
    label: &'static str,
    /// The hook end-to-end tests find it by.
    test_id: &'static str,
    /// Paths that belong to this area, for marking the current one.
    matches: fn(&str) -> bool,
}

const NAV: &[NavItem] = &[
    NavItem {
        href: "/incidents",
        label: "Incidents",
        test_id: "nav-incidents",
        matches: |path| path == "/" || path.starts_with("/incidents"),
    },
    NavItem {
        href: "/metrics",
        label: "Metrics",
        test_id: "nav-metrics",
        matches: |path| path.starts_with("/metrics"),
    },
    NavItem {
        href: "/sources",
        label: "Sources",
        test_id: "nav-sources",
        matches: |path| path.starts_with("/sources"),
    },
];

/// The whole window.
#[component]
pub fn App() -> impl IntoView {
    let shell_error = RwSignal::new(None::<CommandError>);
    let sync = SyncBoard::new();
    provide_context(sync);
    provide_context(IncidentListState {
        query: RwSignal::new(IncidentQuery::default()),
    });
    provide_app_events(sync, shell_error);

    view! {
        <Router>
            <OpenIncidentOnRequest />
            <div class="shell">
                <header class="app-header">
                    <span class="app-name">"Vigil"</span>
                    <AppVersion />
                </header>
                <Navigation />
                <main class="content">
                    <ErrorSlot holder=shell_error />
                    <Routes fallback=|| view! { <p class="empty">"This page does not exist."</p> }>
                        <Route path=path!("/") view=IncidentsPage />
                        <Route path=path!("/incidents") view=IncidentsPage />
                        <Route path=path!("/incidents/:id") view=IncidentDetailPage />
                        <Route path=path!("/metrics") view=MetricsPage />
                        <Route path=path!("/sources") view=SourcesPage />
                    </Routes>
                </main>
            </div>
        </Router>
    }
}

/// The left-hand list of areas, marking the one shown.
#[component]
fn Navigation() -> impl IntoView {
    let location = use_location();
    view! {
        <nav class="side-nav" aria-label="Areas">
            <ul>
                {NAV
                    .iter()
                    .map(|item| {
                        let matches = item.matches;
                        let current = move || {
                            location.pathname.with(|path| matches(path)).then_some("page")
                        };
                        view! {
                            <li>
                                <a href=item.href data-testid=item.test_id aria-current=current>
                                    {item.label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// The app's version beside its name, with the database path in the tooltip for support.
#[component]
fn AppVersion() -> impl IntoView {
    let info = LocalResource::new(ipc::app_info);
    move || {
        info.get().and_then(Result::ok).map(|info| {
            let title = format!("Database: {}\nLogs: {}", info.database_path, info.log_dir);
            view! { <span class="app-version" title=title>{format!("v{}", info.version)}</span> }
        })
    }
}

/// Shows the incident whose popup's "Open" was picked: the app brings the window forward and
/// sends `open-incident` with its id. It lives inside the router, which it navigates.
#[component]
fn OpenIncidentOnRequest() -> impl IntoView {
    let navigate = leptos_router::hooks::use_navigate();
    leptos::task::spawn_local(async move {
        let listening = ipc::listen("open-incident", move |id: Result<IncidentId, _>| {
            if let Ok(id) = id {
                navigate(&format!("/incidents/{id}"), Default::default());
            }
        })
        .await;
        if let Err(error) = listening {
            leptos::logging::warn!("popups' Open will not show the incident: {}", error.message);
        }
    });
}
