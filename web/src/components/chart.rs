//! SVG charts of a report, drawn from `crossover_core::view::chart`: monthly cost against volume and
//! cumulative cost over the horizon, with a pointer and keyboard readout and a table as text
//! alternative.
//!
//! Styling hooks: the wrapper `div.chart`, lines and points `.series-cloud` and
//! `.series-local` (stroke from `--cloud` and `--local`), markers `.marker-volume`,
//! `.marker-crossover`, `.marker-payback`, their labels `.marker-label`, the readout
//! `p.chart-readout`, and the table inside a `div.sr-only`. Everything has a
//! presentation-attribute fallback, so the chart is legible before the stylesheet loads.

use crossover_core::view::chart::{
    cost_vs_volume, cumulative_cost, Chart, MarkerKind, Nav, Series, FONT_SIZE, LEGEND_SWATCH,
};
use crossover_core::Report;
use leptos::prelude::*;
use std::time::Duration;

/// viewBox width; CSS scales the svg to the width of its column. With 14-unit text this
/// reads at about 11 px in a 330 px column and 20 px in a 600 px one.
const WIDTH: f64 = 420.0;
/// viewBox height.
const HEIGHT: f64 = 270.0;
/// How long after the last edit the hidden table is rewritten.
const TABLE_DELAY: Duration = Duration::from_millis(300);
/// What the readout says before a point is chosen.
const HINT: &str =
    "Point at the chart, or focus it and press the left and right arrow keys, to read the values.";

/// Monthly cost of cloud and local against requests/day, with the scenario's volume and the
/// crossover marked.
#[component]
pub fn CostChart(
    /// The evaluated scenario.
    #[prop(into)]
    report: Signal<Report>,
    /// The scenario's requests/day, marked with a vertical line.
    scenario_rpd: Memo<f64>,
) -> impl IntoView {
    let chart =
        Memo::new(move |_| report.with(|r| cost_vs_volume(r, scenario_rpd.get(), WIDTH, HEIGHT)));
    view! { <ChartView chart id="chart-cost" readout_testid="chart-readout-cost" /> }
}

/// Cumulative cost of cloud and local month by month over the horizon, with the payback marked.
#[component]
pub fn CumulativeChart(
    /// The evaluated scenario.
    #[prop(into)]
    report: Signal<Report>,
) -> impl IntoView {
    let chart = Memo::new(move |_| report.with(|r| cumulative_cost(r, WIDTH, HEIGHT)));
    view! { <ChartView chart id="chart-cumulative" readout_testid="chart-readout-cumulative" /> }
}

/// Fallback stroke colour of a series, overridden by the stylesheet's `--cloud` / `--local`.
fn fallback_colour(class: &str) -> &'static str {
    if class == "series-local" {
        "#b5530b"
    } else {
        "#2f5fb3"
    }
}

/// `stroke-dasharray` of a series: local is dashed so it is told apart without colour.
fn dash(series: &Series) -> Option<&'static str> {
    series.dashed.then_some("7 4")
}

/// Draws one core [`Chart`]: `id` is the svg's `data-testid` and the prefix of its element ids.
#[component]
pub fn ChartView(
    /// The chart.
    chart: Memo<Chart>,
    /// The svg's `data-testid` and the prefix of its element ids.
    id: &'static str,
    /// The `data-testid` of the readout.
    readout_testid: &'static str,
) -> impl IntoView {
    let selected = RwSignal::new(None::<usize>);
    let focused = RwSignal::new(false);
    let svg = NodeRef::<leptos::svg::Svg>::new();
    // The selection, kept within the current chart's points.
    let current = Memo::new(move |_| {
        let count = chart.with(|c| c.readouts.len());
        selected
            .get()
            .and_then(|i| count.checked_sub(1).map(|last| i.min(last)))
    });

    // The readout under the pointer. Every child of the svg ignores the pointer, so offsetX is
    // measured from the svg's own box, which the viewBox fills (centred when letterboxed).
    let pick = move |ev: &leptos::web_sys::MouseEvent| {
        let Some(el) = svg.get_untracked() else {
            return;
        };
        let (w, h) = (f64::from(el.client_width()), f64::from(el.client_height()));
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        let scale = (w / WIDTH).min(h / HEIGHT);
        let x = (f64::from(ev.offset_x()) - (w - WIDTH * scale) / 2.0) / scale;
        selected.set(chart.with_untracked(|c| c.nearest(x)));
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let nav = match ev.key().as_str() {
            "ArrowLeft" => Nav::Prev,
            "ArrowRight" => Nav::Next,
            "Home" => Nav::First,
            "End" => Nav::Last,
            _ => return,
        };
        ev.prevent_default();
        selected.set(chart.with_untracked(|c| c.navigate(current.get_untracked(), nav)));
    };

    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let (labelled_by, described_by) = (title_id.clone(), desc_id.clone());
    // Caption and headers are fixed for a kind of chart.
    let (caption, headers) = chart.with_untracked(|c| {
        let headers = c
            .table
            .headers
            .iter()
            .map(|h| view! { <th scope="col">{h.clone()}</th> })
            .collect_view();
        (c.table.caption.clone(), headers)
    });
    // The table's rows follow the chart a moment after edits stop: laying out a hundred
    // hidden rows on every keystroke would cost more than the rest of the chart. One HTML
    // string, parsed by the browser, is much cheaper than a node per cell.
    let table_rows = RwSignal::new(chart.with_untracked(|c| rows_html(&c.table.rows)));
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |ran: Option<()>| {
        chart.track();
        if ran.is_none() {
            return;
        }
        if let Some(handle) = pending.try_get_value().flatten() {
            handle.clear();
        }
        let update = move || {
            if let Some(html) = chart.try_with_untracked(|c| rows_html(&c.table.rows)) {
                table_rows.try_set(html);
            }
        };
        pending.try_set_value(set_timeout_with_handle(update, TABLE_DELAY).ok());
    });
    on_cleanup(move || {
        if let Some(handle) = pending.try_get_value().flatten() {
            handle.clear();
        }
    });
    let readout = move || {
        current
            .get()
            .and_then(|i| chart.with(|c| c.readouts.get(i).map(|r| r.label.clone())))
            .unwrap_or_else(|| HINT.to_string())
    };

    view! {
        <div class="chart">
            <svg
                node_ref=svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-labelledby=labelled_by
                aria-describedby=described_by
                tabindex="0"
                data-testid=id
                font-size=FONT_SIZE
                on:pointermove=move |ev| pick(&ev)
                on:pointerdown=move |ev| pick(&ev)
                on:pointerleave=move |_| {
                    if !focused.get_untracked() {
                        selected.set(None);
                    }
                }
                on:focus=move |_| {
                    focused.set(true);
                    if selected.get_untracked().is_none() {
                        selected.set(chart.with_untracked(|c| c.initial));
                    }
                }
                on:blur=move |_| {
                    focused.set(false);
                    selected.set(None);
                }
                on:keydown=on_key
            >
                <title id=title_id>{move || chart.with(|c| c.title.clone())}</title>
                <desc id=desc_id>{move || chart.with(|c| c.summary.clone())}</desc>
                <g pointer-events="none">
                    {move || chart.with(axes)}
                    {move || chart.with(lines)}
                    {move || chart.with(markers)}
                    {move || current.get().and_then(|i| chart.with(|c| crosshair(c, i)))}
                </g>
            </svg>
            <p class="chart-readout" aria-live="polite" data-testid=readout_testid>
                {readout}
            </p>
            // `.sr-only` on a wrapper: a table ignores `overflow` and would stretch the page.
            <div class="sr-only">
                <table>
                    <caption>{caption}</caption>
                    <thead>
                        <tr>{headers}</tr>
                    </thead>
                    <tbody inner_html=table_rows></tbody>
                </table>
            </div>
        </div>
    }
}

/// The table's rows as HTML, the first cell of each a row header, text escaped.
fn rows_html(rows: &[Vec<String>]) -> String {
    let mut html = String::with_capacity(rows.len() * 96);
    for row in rows {
        html.push_str("<tr>");
        for (col, cell) in row.iter().enumerate() {
            let (open, close) = if col == 0 {
                ("<th scope=\"row\">", "</th>")
            } else {
                ("<td>", "</td>")
            };
            html.push_str(open);
            for ch in cell.chars() {
                match ch {
                    '&' => html.push_str("&amp;"),
                    '<' => html.push_str("&lt;"),
                    '>' => html.push_str("&gt;"),
                    _ => html.push(ch),
                }
            }
            html.push_str(close);
        }
        html.push_str("</tr>");
    }
    html
}

/// Grid lines, tick labels, axis titles and the legend.
fn axes(c: &Chart) -> impl IntoView {
    let p = c.plot;
    let y_ticks = c
        .y_ticks
        .iter()
        .map(|t| {
            view! {
                <line
                    x1=p.left
                    x2=p.right
                    y1=t.pos
                    y2=t.pos
                    stroke="currentColor"
                    stroke-opacity="0.15"
                />
                <text x=p.left - 8.0 y=t.pos dy="0.35em" text-anchor="end" fill="currentColor">
                    {t.label.clone()}
                </text>
            }
        })
        .collect_view();
    let x_ticks = c
        .x_ticks
        .iter()
        .map(|t| {
            view! {
                <line
                    x1=t.pos
                    x2=t.pos
                    y1=p.bottom
                    y2=p.bottom + 5.0
                    stroke="currentColor"
                    stroke-opacity="0.6"
                />
                <text x=t.pos y=p.bottom + 21.0 text-anchor="middle" fill="currentColor">
                    {t.label.clone()}
                </text>
            }
        })
        .collect_view();
    let legend = c
        .legend()
        .into_iter()
        .map(|entry| {
            let s = &c.series[entry.series];
            view! {
                <line
                    class=s.class
                    x1=entry.swatch_x
                    x2=entry.swatch_x + LEGEND_SWATCH
                    y1="12"
                    y2="12"
                    fill="none"
                    stroke=fallback_colour(s.class)
                    stroke-width="2.5"
                    stroke-dasharray=dash(s)
                />
                <text x=entry.text_x y="17" fill="currentColor">
                    {s.name.clone()}
                </text>
            }
        })
        .collect_view();
    view! {
        {y_ticks}
        <line
            x1=p.left
            x2=p.right
            y1=p.bottom
            y2=p.bottom
            stroke="currentColor"
            stroke-opacity="0.6"
        />
        {x_ticks}
        <text x="4" y="17" fill="currentColor">
            {c.y_title.clone()}
        </text>
        <text x=p.right y=c.height - 6.0 text-anchor="end" fill="currentColor">
            {c.x_title.clone()}
        </text>
        {legend}
    }
}

/// The series' lines.
fn lines(c: &Chart) -> impl IntoView {
    c.series
        .iter()
        .map(|s| {
            view! {
                <path
                    class=s.class
                    d=s.path.clone()
                    fill="none"
                    stroke=fallback_colour(s.class)
                    stroke-width="2.5"
                    stroke-linejoin="round"
                    stroke-dasharray=dash(s)
                />
            }
        })
        .collect_view()
}

/// The scenario's volume, the crossover and the payback, with their labels.
fn markers(c: &Chart) -> impl IntoView {
    let p = c.plot;
    c.markers
        .iter()
        .map(|m| {
            let mark = match m.kind {
                MarkerKind::Line => view! {
                    <line
                        class=m.class
                        x1=m.x
                        x2=m.x
                        y1=p.top
                        y2=p.bottom
                        stroke="currentColor"
                        stroke-width="1.5"
                        stroke-dasharray="4 4"
                    />
                }
                .into_any(),
                MarkerKind::Dot => view! {
                    <circle class=m.class cx=m.x cy=m.y r="5" fill="currentColor" />
                }
                .into_any(),
            };
            // The label's halo colour comes from the stylesheet (`.marker-label { stroke }`);
            // without it the stroke is none and the text plain.
            view! {
                {mark}
                <text
                    class="marker-label"
                    x=m.label_x
                    y=m.label_y
                    text-anchor=m.anchor.as_str()
                    fill="currentColor"
                    paint-order="stroke"
                    stroke-width="4"
                    stroke-linejoin="round"
                >
                    {m.label.clone()}
                </text>
            }
        })
        .collect_view()
}

/// A vertical line at readout `i` and a ring on each series there.
fn crosshair(c: &Chart, i: usize) -> Option<impl IntoView> {
    let r = c.readouts.get(i)?;
    let rings = c
        .series
        .iter()
        .filter_map(|s| {
            let point = s.points.get(i)?;
            Some(view! {
                <circle
                    class=format!("{} point", s.class)
                    cx=point.x_px
                    cy=point.y_px
                    r="4.5"
                    fill="none"
                    stroke=fallback_colour(s.class)
                    stroke-width="2.5"
                />
            })
        })
        .collect_view();
    Some(view! {
        <g class="crosshair">
            <line
                x1=r.x_px
                x2=r.x_px
                y1=c.plot.top
                y2=c.plot.bottom
                stroke="currentColor"
                stroke-opacity="0.5"
                stroke-dasharray="3 3"
            />
            {rings}
        </g>
    })
}
