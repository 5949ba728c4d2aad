//! Lays out a core table: one component for every table on the page.

use crossover_core::view::table::{Cell, Table};
use leptos::prelude::*;

/// Whether a cell's text stays on one line: one word (a number, a date, an id) or a figure with
/// its unit ("1,000 W", "2,250 TFLOPS"); phrases wrap.
fn unbroken(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let figure = |w: &str| w.starts_with(|c: char| c.is_ascii_digit() || "$+-−".contains(c));
    match words.as_slice() {
        [_] => true,
        [number, unit] => figure(number) && !unit.contains('('),
        _ => false,
    }
}

fn cell(c: Cell) -> impl IntoView {
    let has_bar = c.bar.is_some();
    let bar = c.bar.map(|b| {
        view! { <span class=format!("bar {}", b.class) style:width=format!("{}%", b.pct)></span> }
    });
    let word = unbroken(&c.text);
    let text = match c.link {
        Some(href) => {
            view! { <a href=href rel="noopener noreferrer" target="_blank">{c.text}</a> }.into_any()
        }
        None => c.text.into_any(),
    };
    view! { <span class="bar-cell" class:with-bar=has_bar>{bar}<span class="bar-label" class:word=word>{text}</span></span> }
}

/// Renders `table` (re-rendered when it changes); `testid` marks the `<table>`, `label` names
/// the scrollable region for assistive technology.
#[component]
pub fn DataTable(
    /// The `data-testid` of the `<table>`.
    testid: &'static str,
    /// The accessible name of its scrollable region.
    label: &'static str,
    /// The table.
    #[prop(into)]
    table: Signal<Table>,
) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" aria-label=label tabindex="0">
            <table data-testid=testid>
                <thead>
                    <tr>{move || table.with(|t| t.head.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view())}</tr>
                </thead>
                <tbody>
                    {move || {
                        table
                            .get()
                            .rows
                            .into_iter()
                            .map(|row| {
                                let mut cells = row.cells.into_iter();
                                let head = cells.next().map(cell);
                                view! {
                                    <tr data-testid=row.testid class=row.mark>
                                        <th scope="row">{head}</th>
                                        {cells.map(|c| view! { <td>{cell(c)}</td> }).collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use crossover_core::codec::link::decode;
    use crossover_core::evaluate;
    use crossover_core::view::table;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// Mounts a table built from `link`'s report and compares each row's cell texts.
    fn check(link: &str, build: fn(&crossover_core::Report) -> Table, expected: &[&str]) {
        let report = evaluate(&decode(link).scenario);
        let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
        document().body().unwrap().append_child(&host).unwrap();
        let t = build(&report);
        leptos::mount::mount_to(
            host.clone(),
            move || view! { <DataTable testid="t" label="Test" table=t.clone() /> },
        )
        .forget();
        let rows = host.query_selector_all("tbody tr").unwrap();
        let texts: Vec<String> = (0..rows.length())
            .filter_map(|i| rows.item(i))
            .map(|row| {
                let cells = row
                    .unchecked_ref::<web_sys::Element>()
                    .query_selector_all("th, td")
                    .unwrap();
                (0..cells.length())
                    .filter_map(|i| cells.item(i).and_then(|c| c.text_content()))
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect();
        assert_eq!(texts, expected);
        let region = host.query_selector(".table-wrap").unwrap().unwrap();
        assert_eq!(region.get_attribute("role").as_deref(), Some("region"));
        assert_eq!(region.get_attribute("tabindex").as_deref(), Some("0"));
        host.remove();
    }

    // Cloud 54/month; owned 1600/36 + 12.96 = 57.40; rented 0.34 $/h × 8 h × 30 = 81.60.
    #[wasm_bindgen_test]
    fn costs_table_lays_out_the_rows_core_builds() {
        check(
            "v=1&tps=100&ptps=5000",
            table::costs,
            &[
                "Cloud | $54.00 | $648.00 | $0.36 | $0.00",
                "Local, owned | $57.40 | $688.85 | $0.38 | $1,600.00",
                "Local, rented | $81.60 | $979.20 | $0.54 | $0.00",
            ],
        );
    }

    // Bars carry their series and length: privacy scores local 10 (100%), cloud 5 (50%).
    #[wasm_bindgen_test]
    fn decision_bars_have_their_length() {
        let report = evaluate(&decode("v=1").scenario);
        let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
        document().body().unwrap().append_child(&host).unwrap();
        let t = table::decision(&report);
        leptos::mount::mount_to(
            host.clone(),
            move || view! { <DataTable testid="d" label="Decision" table=t.clone() /> },
        )
        .forget();
        let bars = host
            .query_selector_all("tbody tr:nth-child(4) .bar")
            .unwrap();
        let styles: Vec<String> = (0..bars.length())
            .filter_map(|i| bars.item(i))
            .filter_map(|b| b.unchecked_ref::<web_sys::Element>().get_attribute("style"))
            .collect();
        assert_eq!(styles, ["width: 100%;", "width: 50%;"]);
        host.remove();
    }
}
