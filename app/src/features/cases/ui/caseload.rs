//! The counselor's home: their couples, most urgent first.

use super::super::api::list_caseload;
use super::super::{CaseStatus, Caseload};
use crate::components::urlencode;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The counselor's home: their couples, most urgent first, with search and a status filter.
#[component]
pub fn CaseloadView() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let status = move || query.read().get("status").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
    };
    let caseload = Resource::new_blocking(
        move || (q(), status(), page()),
        |(q, status, page)| list_caseload(q, status, page),
    );
    view! {
        <Title text="Caseload · Trellis" />
        <div class="page-head">
            <h1>"Your caseload"</h1>
            <a class="button button-primary" href="/cases/new">"New couple"</a>
        </div>
        <form method="get" action="/" class="filters" role="search">
            <label for="q">"Search by name"</label>
            <input id="q" name="q" type="search" value=q />
            <label for="status">"Status"</label>
            <select id="status" name="status">
                <option value="" selected=move || status().is_empty()>"Any status"</option>
                {CaseStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=move || status() == s.as_str()>{s.label()}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button-secondary">"Show"</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match caseload.await {
                    Ok(list) => Either::Left(view! { <CaseTable list=list q=q() status=status() /> }),
                    Err(err) => Either::Right(view! {
                        <p class="message message-error" role="alert">{err.to_string()}</p>
                    }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseTable(list: Caseload, q: String, status: String) -> impl IntoView {
    if list.cases.is_empty() {
        let filtered = !q.is_empty() || !status.is_empty();
        if list.total > 0 {
            // An old link to a page the list no longer reaches.
            let count = if list.total == 1 {
                "1 couple".to_string()
            } else {
                format!("{} couples", list.total)
            };
            let first = format!("/?q={}&status={}", urlencode(&q), urlencode(&status));
            return Either::Left(
                view! {
                    <p class="empty-state">
                        {format!("This page is past the end of the list ({count}). ")}
                        <a href=first>"Go to the first page"</a>
                    </p>
                }
                .into_any(),
            );
        }
        return Either::Left(view! {
            <p class="empty-state">
                {if filtered {
                    "No couples match. Try another name or status."
                } else {
                    "No couples on your caseload yet. Add one with \u{201c}New couple\u{201d}; the most urgent will appear first."
                }}
            </p>
        }.into_any());
    }
    let pages = (list.total + list.per_page - 1) / list.per_page;
    let link = move |p: i64| {
        format!(
            "/?q={}&status={}&page={p}",
            urlencode(&q),
            urlencode(&status)
        )
    };
    let today = chrono::Utc::now().date_naive();
    Either::Right(view! {
        <table class="data-table caseload">
            <caption>{format!("{} couple{}", list.total, if list.total == 1 { "" } else { "s" })}</caption>
            <thead>
                <tr>
                    <th scope="col">"Couple"</th>
                    <th scope="col">"Partners"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Needs attention"</th>
                    <th scope="col">"Next session"</th>
                    <th scope="col">"Since the rupture"</th>
                </tr>
            </thead>
            <tbody>
                {list.cases.into_iter().map(|c| view! {
                    <tr>
                        <td><a href=format!("/cases/{}", c.couple_id)>{c.case_name}</a></td>
                        <td>{c.partner_names.join(" & ")}</td>
                        <td><span class=format!("status status-{}", c.status.as_str())>{c.status.label()}</span></td>
                        <td>
                            {if c.attention.is_empty() {
                                Either::Left(view! { <span class="muted">"Nothing"</span> })
                            } else {
                                Either::Right(view! {
                                    <ul class="attention">
                                        {c.attention.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}
                                    </ul>
                                })
                            }}
                        </td>
                        <td>{c.next_session.unwrap_or_else(|| "None booked".into())}</td>
                        <td>{c.rupture_date.map(|d| elapsed(d, today)).unwrap_or_else(|| "\u{2014}".into())}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label="Caseload pages">
                {(list.page > 1).then(|| view! { <a href=link(list.page - 1)>"Previous"</a> })}
                <span>{format!("Page {} of {pages}", list.page)}</span>
                {(list.page < pages).then(|| view! { <a href=link(list.page + 1)>"Next"</a> })}
            </nav>
        })}
    })
}

/// "3 months", "1 year 2 months": healing is measured in months.
pub fn elapsed(since: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let mut months =
        (today.year() - since.year()) * 12 + today.month() as i32 - since.month() as i32;
    if today.day() < since.day() {
        months -= 1;
    }
    if months < 1 {
        let days = (today - since).num_days().max(0);
        return format!("{days} day{}", if days == 1 { "" } else { "s" });
    }
    let (y, m) = (months / 12, months % 12);
    let plural = |n: i32, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match (y, m) {
        (0, m) => plural(m, "month"),
        (y, 0) => plural(y, "year"),
        (y, m) => format!("{} {}", plural(y, "year"), plural(m, "month")),
    }
}

#[cfg(test)]
mod tests {
    use super::elapsed;
    use chrono::NaiveDate;

    #[test]
    fn time_since_the_rupture_reads_in_months() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(elapsed(d(2026, 11, 1), d(2026, 11, 22)), "21 days");
        assert_eq!(elapsed(d(2026, 8, 22), d(2026, 11, 22)), "3 months");
        assert_eq!(elapsed(d(2026, 8, 23), d(2026, 11, 22)), "2 months");
        assert_eq!(elapsed(d(2025, 11, 22), d(2026, 11, 22)), "1 year");
        assert_eq!(elapsed(d(2024, 9, 1), d(2026, 11, 22)), "2 years 2 months");
    }
}
