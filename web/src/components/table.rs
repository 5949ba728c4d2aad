//! Lays out a core table: one component for every table on the page.

use crossover_core::table::{Cell, Table};
use leptos::prelude::*;

fn cell(c: Cell) -> impl IntoView {
    let bar = c.bar.map(|b| {
        view! { <span class=format!("bar {}", b.class) style=format!("width:{}%", b.pct)></span> }
    });
    let text = match c.link {
        Some(href) => {
            view! { <a href=href rel="noopener noreferrer" target="_blank">{c.text}</a> }.into_any()
        }
        None => c.text.into_any(),
    };
    view! { <span class="bar-cell">{bar}<span class="bar-label">{text}</span></span> }
}

/// Renders `table` (re-rendered when it changes); `testid` marks the `<table>`, `label` names
/// the scrollable region for assistive technology.
#[component]
pub fn DataTable(
    testid: &'static str,
    label: &'static str,
    #[prop(into)] table: Signal<Table>,
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
