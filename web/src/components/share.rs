//! Sharing: the link, an embed snippet for documentation, and exports of the report.

use crate::ondemand::export_file;
use crate::services::browser;
use crate::state::AppState;
use crossover_core::codec::link::encode;
use leptos::prelude::*;

/// Panels an embed can show, in page order: (value in `panels=`, label). The live
/// measurement joins only when named (an embed of every panel leaves it out).
const PANELS: [(&str, &str); 10] = [
    ("inputs", "inputs"),
    ("figures", "headline figures"),
    ("charts", "charts"),
    ("costs", "costs"),
    ("capacity", "capacity"),
    ("tco", "TCO"),
    ("decision", "decision"),
    ("hybrid", "hybrid"),
    ("sensitivity", "sensitivity"),
    ("measure", "live measurement"),
];

/// The permissions an iframe must be given for a page in it to reach the reader's own server
/// (localhost or the local network): Chrome 142's `local-network-access`, split in Chrome 145
/// into `local-network` and `loopback-network`; a browser ignores the names it does not know.
const LOCAL_NETWORK_ALLOW: &str = "local-network-access; local-network; loopback-network";

/// What the snippet says about that permission, above the iframe.
const MEASURE_NOTE: &str = "<!-- allow: lets the live measurement reach the reader's own server (the browser asks them first); that server must accept the calculator's origin -->\n";

/// The iframe code for the scenario at `link`, showing `panels` (all when empty).
/// With the live measurement among them, the iframe is allowed to reach the reader's own
/// server (`local-network-access; local-network; loopback-network`).
pub fn embed_snippet(link: &str, panels: &[&str]) -> String {
    let mut src = format!("{link}&embed=1");
    let measure = panels.contains(&"measure");
    let every_other = PANELS
        .iter()
        .all(|(value, _)| *value == "measure" || panels.contains(value));
    if !panels.is_empty() && (measure || !every_other) {
        src.push_str("&panels=");
        src.push_str(&panels.join(","));
    }
    let src = src.replace('&', "&amp;");
    let (note, allow) = if measure {
        (MEASURE_NOTE, format!(" allow=\"{LOCAL_NETWORK_ALLOW}\""))
    } else {
        ("", String::new())
    };
    format!(
        "{note}<iframe src=\"{src}\" title=\"Crossover: local LLM or cloud API\"{allow} width=\"100%\" height=\"900\" style=\"border:0\" loading=\"lazy\"></iframe>\n\
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

/// Link, embed and export controls.
#[component]
pub fn Share() -> impl IntoView {
    let state = expect_context::<AppState>();
    let link = Memo::new(move |_| {
        state.scenario.track();
        state.share_url()
    });
    let copied = RwSignal::new(None::<Result<(), String>>);
    // Why the last export could not be written, until the next one is.
    let export_problem = RwSignal::new(None::<String>);
    let chosen = RwSignal::new(vec!["inputs", "figures", "charts"]);
    let snippet = Memo::new(move |_| chosen.with(|p| embed_snippet(&link.get(), p)));
    let download = move |kind: &'static str| {
        let search = state.scenario.with_untracked(encode);
        export_problem.set(export_file(kind, &search, &link.get_untracked()).err());
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
                        copied.set(Some(browser::copy(&link.get_untracked()).map(|_| ())));
                    }
                >
                    {move || if matches!(copied.get(), Some(Ok(()))) { "Copied" } else { "Copy link" }}
                </button>
            </div>
            <p class="error" role="status" data-testid="copy-link-error">
                {move || copied.get().and_then(Result::err)}
            </p>
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
            <p class="error" role="status" data-testid="export-error">{move || export_problem.get()}</p>
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
                                        data-testid=format!("embed-panel-{value}")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn check(panels: &[&str], expected_src: &str, allowed: bool) {
        let snippet = embed_snippet("https://x.test/?v=1", panels);
        let head = snippet
            .lines()
            .find(|l| l.starts_with("<iframe"))
            .unwrap_or_default();
        assert!(head.contains(&format!("src=\"{expected_src}\"")), "{head}");
        assert_eq!(
            head.contains(" allow=\"local-network-access; local-network; loopback-network\""),
            allowed,
            "{head}"
        );
    }

    #[test]
    fn the_measurement_joins_an_embed_only_when_named_and_brings_the_permission() {
        let every_other: Vec<&str> = PANELS
            .iter()
            .map(|(v, _)| *v)
            .filter(|v| *v != "measure")
            .collect();
        check(&every_other, "https://x.test/?v=1&amp;embed=1", false);
        check(&[], "https://x.test/?v=1&amp;embed=1", false);
        check(
            &["figures", "charts"],
            "https://x.test/?v=1&amp;embed=1&amp;panels=figures,charts",
            false,
        );
        assert!(embed_snippet("l", &["measure"]).starts_with("<!-- allow: "));
        assert!(embed_snippet("l", &["figures"]).starts_with("<iframe"));
        check(
            &["figures", "measure"],
            "https://x.test/?v=1&amp;embed=1&amp;panels=figures,measure",
            true,
        );
        let all: Vec<&str> = PANELS.iter().map(|(v, _)| *v).collect();
        check(
            &all,
            &format!(
                "https://x.test/?v=1&amp;embed=1&amp;panels={}",
                all.join(",")
            ),
            true,
        );
    }
}
