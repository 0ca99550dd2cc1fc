//! Exports of a postmortem: Markdown that imports back into the same sections, and an HTML page
//! carrying the timeline and the durations.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod postmortem_support;

use postmortem_support::{checkout_incident, open_store};
use vigil_core::postmortem::{parse_markdown, PostmortemId};
use vigil_engine::postmortem::{export_html, export_markdown, import_markdown};
use vigil_engine::Store;

fn written_postmortem(store: &mut Store) -> PostmortemId {
    let incident = checkout_incident(store);
    let id = store
        .create_postmortem(&[incident], "default", "tester")
        .unwrap();
    let bodies = [
        (
            "summary",
            "Checkout was slow for **42 minutes**.\n\n- p99 above 2 s\n- no errors",
        ),
        (
            "trigger",
            "Release 812 halved the cache size.\n\n```\ncache_mb: 512 -> 256\n```",
        ),
        (
            "five-whys",
            "1. Why slow? Cache misses.\n2. Why misses? Smaller cache.",
        ),
    ];
    for (key, body) in bodies {
        store
            .save_postmortem_section(id, key, body, "tester")
            .unwrap();
    }
    id
}

#[test]
fn markdown_export_then_import_gives_the_same_sections() {
    let (_dir, mut store) = open_store();
    let id = written_postmortem(&mut store);
    let pm = store.postmortem(id).unwrap();

    let markdown = export_markdown(&pm);
    let back = parse_markdown(&markdown);

    assert_eq!(back.title, pm.title);
    let shape =
        |key: &str, title: &str, body: &str| (key.to_owned(), title.to_owned(), body.to_owned());
    assert_eq!(
        back.sections
            .iter()
            .map(|s| shape(&s.key, &s.title, &s.body))
            .collect::<Vec<_>>(),
        pm.sections
            .iter()
            .map(|s| shape(&s.key, &s.title, &s.body))
            .collect::<Vec<_>>()
    );
    assert!(
        markdown.contains("| 2026-03-10 10:20:05 | Mitigation |"),
        "{markdown}"
    );
}

#[test]
fn importing_an_edited_export_saves_only_the_changed_sections() {
    let (_dir, mut store) = open_store();
    let id = written_postmortem(&mut store);
    let markdown = export_markdown(&store.postmortem(id).unwrap());
    let edited = markdown.replace("no errors", "no errors at all");

    assert_eq!(
        import_markdown(&mut store, id, &markdown, "tester").unwrap(),
        0
    );
    assert_eq!(
        import_markdown(&mut store, id, &edited, "tester").unwrap(),
        1
    );
    let pm = store.postmortem(id).unwrap();
    assert!(pm.sections[0].body.ends_with("no errors at all"));

    let stray = format!("{markdown}\n## Appendix Z\n\nextra\n");
    assert!(import_markdown(&mut store, id, &stray, "tester").is_err());
}

#[test]
fn the_html_export_shows_the_rendered_sections_the_timeline_and_the_durations() {
    let (_dir, mut store) = open_store();
    let id = written_postmortem(&mut store);
    let html = export_html(&store.postmortem(id).unwrap());

    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("<strong>42 minutes</strong>"),
        "Markdown is rendered"
    );
    assert!(
        html.contains("Rollback done, latency normal"),
        "timeline entry"
    );
    assert!(html.contains("2519 s"), "time to resolve");
    assert!(html.contains("450 s"), "time to detect");
    assert!(
        html.contains("the MTTR rule"),
        "the definition beside the figure"
    );
    assert!(
        !html.contains("vigil:section"),
        "no markers visible as text"
    );
}
