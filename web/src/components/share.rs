//! Sharing: the link, an embed snippet for documentation, and exports of the report.

use crate::services::browser;
use crate::state::AppState;
use crossover_core::export;
use leptos::prelude::*;

/// Panels an embed can show, in page order: (value in `panels=`, label).
const PANELS: [(&str, &str); 9] = [
    ("inputs", "inputs"),
    ("figures", "headline figures"),
    ("charts", "charts"),
    ("costs", "costs"),
    ("capacity", "capacity"),
    ("tco", "TCO"),
    ("decision", "decision"),
    ("hybrid", "hybrid"),
    ("sensitivity", "sensitivity"),
];

/// The iframe code for the scenario at `link`, showing `panels` (all when empty).
pub fn embed_snippet(link: &str, panels: &[&str]) -> String {
    let mut src = format!("{link}&embed=1");
    if !panels.is_empty() && panels.len() < PANELS.len() {
        src.push_str("&panels=");
        src.push_str(&panels.join(","));
    }
    let src = src.replace('&', "&amp;");
    format!(
        "<iframe src=\"{src}\" title=\"Crossover: local LLM or cloud API\" width=\"100%\" height=\"900\" style=\"border:0\" loading=\"lazy\"></iframe>\n\
<script>\n\
addEventListener(\"message\", (e) => {{\n\
  if (e.data && e.data.type === \"crossover:height\") {{\n\
    for (const f of document.querySelectorAll(\"iframe\")) {{\n\
      if (f.contentWindow === e.source) f.style.height = e.data.height + \"px\";\n\
    }}\n\
  }}\n\
}});\n\
</script>"
    )
}

/// Pretty JSON through the browser's own serializer (smaller than bundling one).
fn json(export: &export::Export) -> String {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(export, &serializer)
        .ok()
        .and_then(|value| {
            js_sys::JSON::stringify_with_replacer_and_space(
                &value,
                &wasm_bindgen::JsValue::NULL,
                &2.into(),
            )
            .ok()
        })
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// Link, embed and export controls.
#[component]
pub fn Share() -> impl IntoView {
    let state = expect_context::<AppState>();
    let link = Memo::new(move |_| {
        state.scenario.track();
        state.share_url()
    });
    let copied = RwSignal::new(false);
    let chosen = RwSignal::new(vec!["inputs", "figures", "charts"]);
    let snippet = Memo::new(move |_| chosen.with(|p| embed_snippet(&link.get(), p)));
    let download = move |kind: &'static str| {
        let link = link.get_untracked();
        let result = state.scenario.with_untracked(|s| {
            state.report.with_untracked(|r| match kind {
                "md" => browser::download(
                    "crossover-report.md",
                    "text/markdown",
                    &export::markdown(s, r, &link),
                ),
                "csv" => browser::download(
                    "crossover-volume-sweep.csv",
                    "text/csv",
                    &export::sweep_csv(r),
                ),
                _ => browser::download(
                    "crossover-scenario.json",
                    "application/json",
                    &json(&export::Export {
                        link: &link,
                        scenario: s,
                        report: r,
                    }),
                ),
            })
        });
        if let Err(message) = result {
            state.notes.update(|n| {
                n.push(crossover_core::scenario::query::Note {
                    key: "export".into(),
                    message,
                })
            });
        }
    };
    view! {
        <section class="panel share" aria-labelledby="share-title">
            <h2 id="share-title">"Share and export"</h2>
            <label for="share-link">"Link to this scenario"</label>
            <div class="control wide">
                <input id="share-link" type="text" readonly data-testid="share-link" prop:value=move || link.get() />
                <button
                    type="button"
                    class="chip"
                    data-testid="copy-link"
                    on:click=move |_| {
                        browser::copy(&link.get_untracked());
                        copied.set(true);
                    }
                >
                    {move || if copied.get() { "Copied" } else { "Copy link" }}
                </button>
            </div>
            <div class="buttons">
                <button type="button" class="chip" data-testid="export-markdown" on:click=move |_| download("md")>
                    "Markdown report"
                </button>
                <button type="button" class="chip" data-testid="export-csv" on:click=move |_| download("csv")>
                    "CSV of the volume sweep"
                </button>
                <button type="button" class="chip" data-testid="export-json" on:click=move |_| download("json")>
                    "JSON"
                </button>
                <button type="button" class="chip" on:click=move |_| { let _ = window().print(); }>
                    "Print"
                </button>
            </div>
            <details class="embed">
                <summary>"Embed this calculator"</summary>
                <fieldset class="toggles">
                    <legend>"Panels"</legend>
                    {PANELS
                        .iter()
                        .map(|&(value, label)| {
                            view! {
                                <label class="toggle">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || chosen.with(|c| c.contains(&value))
                                        on:change=move |_| chosen.update(|c| {
                                            if let Some(i) = c.iter().position(|p| *p == value) {
                                                c.remove(i);
                                            } else {
                                                c.push(value);
                                                c.sort_by_key(|p| PANELS.iter().position(|(v, _)| v == p));
                                            }
                                        })
                                    />
                                    {label}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <label for="embed-snippet">"Paste into your documentation"</label>
                <textarea id="embed-snippet" rows="9" readonly data-testid="embed-snippet" prop:value=move || snippet.get()></textarea>
            </details>
        </section>
    }
}
