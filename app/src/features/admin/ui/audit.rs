//! `/admin/audit`: the audit log, filtered by person, case and dates.

use super::page_param;
use crate::components::{SignedIn, load_error};
use crate::features::admin::api::audit_log;
use crate::features::admin::{AuditPage, Choice};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/admin/audit`: who did what to which case, when and from where.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let page = page_param();
    let filters = move || {
        (
            param("person"),
            param("couple"),
            param("from"),
            param("to"),
            page(),
        )
    };
    let data = Resource::new_blocking(filters, |(person, couple, from, to, page)| {
        audit_log(person, couple, from, to, page)
    });
    view! {
        <SignedIn>
            <Title text="Audit log · Trellis" />
            <h1>"Audit log"</h1>
            <p class="help">"Every sign-in, every case opened or changed, every case page read. It records who and what, never the content."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let (person, couple, from, to, _) = filters();
                    match data.await {
                        Ok(data) => Either::Left(view! { <AuditView data=data person=person couple=couple from=from to=to /> }),
                        Err(err @ crate::error::AppError::Validation { .. }) => Either::Right(Either::Left(view! {
                            <p class="message message-error" role="alert">{err.to_string()}</p>
                            <p><a href="/admin/audit">"Clear the filters"</a></p>
                        })),
                        Err(err) => Either::Right(Either::Right(load_error(err))),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn AuditView(
    data: AuditPage,
    person: String,
    couple: String,
    from: String,
    to: String,
) -> impl IntoView {
    let pages = ((data.total + data.per_page - 1) / data.per_page).max(1);
    let link = {
        let (person, couple, from, to) = (person.clone(), couple.clone(), from.clone(), to.clone());
        move |p: i64| {
            format!(
                "/admin/audit?person={}&couple={}&from={}&to={}&page={p}",
                crate::components::urlencode(&person),
                crate::components::urlencode(&couple),
                crate::components::urlencode(&from),
                crate::components::urlencode(&to)
            )
        }
    };
    let options = |choices: Vec<Choice>, selected: String| {
        choices
            .into_iter()
            .map(|c| {
                let is = c.id == selected;
                view! { <option value=c.id selected=is>{c.label}</option> }
            })
            .collect_view()
    };
    view! {
        <form method="get" action="/admin/audit" class="filters audit-filters" role="search">
            <label for="person">"Person"</label>
            <select id="person" name="person">
                <option value="">"Anyone"</option>
                {options(data.people, person)}
            </select>
            <label for="couple">"Case"</label>
            <select id="couple" name="couple">
                <option value="">"Any case"</option>
                {options(data.couples, couple)}
            </select>
            <label for="from">"From"</label>
            <input id="from" name="from" type="date" value=from />
            <label for="to">"To"</label>
            <input id="to" name="to" type="date" value=to />
            <button type="submit" class="button-secondary">"Show"</button>
        </form>
        {if data.lines.is_empty() {
            Either::Left(view! { <p class="empty-state">"No events match these filters."</p> })
        } else {
            Either::Right(view! {
                <table class="data-table audit">
                    <caption>{format!("{} events, newest first", data.total)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"When (UTC)"</th>
                            <th scope="col">"Who"</th>
                            <th scope="col">"What"</th>
                            <th scope="col">"About"</th>
                            <th scope="col">"Case"</th>
                            <th scope="col">"From address"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {data.lines.into_iter().map(|l| view! {
                            <tr>
                                <td><time datetime=l.at.to_rfc3339()>{l.at.format("%Y-%m-%d %H:%M:%S").to_string()}</time></td>
                                <td>{l.who.unwrap_or_else(|| "\u{2014}".into())}</td>
                                <td>{l.what}</td>
                                <td>{l.about.unwrap_or_default()}</td>
                                <td>{l.case_name.unwrap_or_default()}</td>
                                <td>{l.ip.unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })
        }}
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label="Audit log pages">
                {(data.page > 1).then(|| view! { <a href=link(data.page - 1)>"Newer"</a> })}
                <span>{format!("Page {} of {pages}", data.page)}</span>
                {(data.page < pages).then(|| view! { <a href=link(data.page + 1)>"Older"</a> })}
            </nav>
        })}
    }
}
