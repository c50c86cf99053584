//! The counselor's caseload, the new-couple form and the case page.

use super::api::{CreateCouple, SetCaseStatus, get_case, list_caseload};
use super::{CaseDetail, CaseStatus, Caseload, RuptureRole};
use crate::components::{ActionError, SignedIn, error_of, not_found, urlencode};
use crate::features::invitations::api::{InvitePartner, RevokePartnerInvitation};
use crate::features::invitations::ui::PartnerInvitation;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

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
        return Either::Left(view! {
            <p class="empty-state">
                {if filtered {
                    "No couples match. Try another name or status."
                } else {
                    "No couples on your caseload yet. Add one with \u{201c}New couple\u{201d}; the most urgent will appear first."
                }}
            </p>
        });
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
                    <th scope="col">"Since the rupture"</th>
                </tr>
            </thead>
            <tbody>
                {list.cases.into_iter().map(|c| view! {
                    <tr>
                        <td><a href=format!("/cases/{}", c.couple_id)>{c.case_name}</a></td>
                        <td>{c.partner_names.join(" & ")}</td>
                        <td><span class=format!("status status-{}", c.status.as_str())>{c.status.label()}</span></td>
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

#[component]
pub fn NewCouplePage() -> impl IntoView {
    let action = ServerAction::<CreateCouple>::new();
    let role_options = || {
        [
            RuptureRole::Unspecified,
            RuptureRole::BrokeTrust,
            RuptureRole::Hurt,
        ]
        .into_iter()
        .map(|r| view! { <option value=r.as_str()>{r.label()}</option> })
        .collect_view()
    };
    let partner = move |n: u8| {
        let f = move |name: &str| format!("couple[partner{n}_{name}]");
        let id = move |name: &str| format!("partner{n}_{name}");
        view! {
            <fieldset>
                <legend>{if n == 1 { "First partner" } else { "Second partner" }}</legend>
                <label for=id("name")>"Name"</label>
                <input id=id("name") name=f("name") required maxlength="100" autocomplete="off" />
                <label for=id("email")>"Email"</label>
                <input id=id("email") name=f("email") type="email" required autocomplete="off" />
                <label for=id("pronouns")>"Pronouns (optional)"</label>
                <input id=id("pronouns") name=f("pronouns") maxlength="40" autocomplete="off" />
                <label for=id("role")>"Role in the rupture"</label>
                <select id=id("role") name=f("role")>{role_options()}</select>
            </fieldset>
        }
    };
    view! {
        <SignedIn>
            <Title text="New couple · Trellis" />
            <h1>"New couple"</h1>
            <p class="help">"Each partner gets their own login and answers their homework alone."</p>
            <ActionForm action=action attr:class="form-stack">
                <ActionError error=error_of(action) />
                <label for="case_name">"Case name"</label>
                <input id="case_name" name="couple[case_name]" required maxlength="120"
                    placeholder="Alex & Sam" autocomplete="off" />
                {partner(1)}
                {partner(2)}
                <label for="rupture_date">"Date of the rupture or disclosure (optional)"</label>
                <input id="rupture_date" name="couple[rupture_date]" type="date" />
                <label for="presenting_concerns">"Presenting concerns (optional)"</label>
                <textarea id="presenting_concerns" name="couple[presenting_concerns]" rows="3" maxlength="4000"></textarea>
                <label for="intake_notes">"Intake notes (optional)"</label>
                <textarea id="intake_notes" name="couple[intake_notes]" rows="5" maxlength="20000"></textarea>
                <button type="submit" class="button-primary">"Open the case"</button>
            </ActionForm>
        </SignedIn>
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let case = Resource::new_blocking(id, get_case);
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match case.await {
                        Ok(detail) => Either::Left(view! { <CaseView detail=detail /> }),
                        Err(_) => Either::Right(not_found()),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn CaseView(detail: CaseDetail) -> impl IntoView {
    let today = chrono::Utc::now().date_naive();
    let invite = ServerAction::<InvitePartner>::new();
    let revoke = ServerAction::<RevokePartnerInvitation>::new();
    let status_action = ServerAction::<SetCaseStatus>::new();
    let closed = detail.status == CaseStatus::Closed;
    let couple_id = detail.couple_id.clone();
    let status_buttons = detail
        .status
        .next()
        .iter()
        .map(|&to| {
            let verb = if closed { "Reopen the case" } else { to.verb() };
            let couple_id = couple_id.clone();
            view! {
                <ActionForm action=status_action attr:class="inline-form">
                    <input type="hidden" name="couple_id" value=couple_id />
                    <input type="hidden" name="status" value=to.as_str() />
                    <button type="submit" class="button-secondary">{verb}</button>
                </ActionForm>
            }
        })
        .collect_view();
    view! {
        <Title text=format!("{} · Trellis", detail.case_name) />
        <div class="page-head">
            <h1>{detail.case_name.clone()}</h1>
            <span class=format!("status status-{}", detail.status.as_str())>{detail.status.label()}</span>
        </div>
        {closed.then(|| view! {
            <p class="message message-info" role="status">
                "This case is closed and read-only. Its records are kept until "
                {detail.kept_until.map(|d| d.format("%-d %B %Y").to_string()).unwrap_or_default()}
                " under the practice's retention setting."
            </p>
        })}
        <dl class="facts">
            <dt>"Counselor"</dt><dd>{detail.counselor_name}</dd>
            <dt>"Since the rupture"</dt>
            <dd>{detail.rupture_date.map(|d| format!("{} (since {d})", elapsed(d, today))).unwrap_or_else(|| "Not recorded".into())}</dd>
        </dl>
        <section aria-labelledby="status-heading" class="case-status">
            <h2 id="status-heading">"Case status"</h2>
            <ActionError error=error_of(status_action) />
            <div class="button-row">{status_buttons}</div>
        </section>
        <h2 id="partners">"Partners"</h2>
        <ActionError error=error_of(invite) />
        <ActionError error=error_of(revoke) />
        <ul class="partners">
            {detail.partners.into_iter().map(|p| {
                let couple_id = detail.couple_id.clone();
                view! {
                    <li id=format!("partner-{}", p.position)>
                        <strong>{p.display_name.clone()}</strong>
                        {p.pronouns.map(|pr| view! { <span class="muted">" (" {pr} ")"</span> })}
                        <div>{p.email}</div>
                        <div class="muted">{p.rupture_role.label()}</div>
                        <PartnerInvitation couple_id=couple_id position=p.position name=p.display_name
                            state=p.invitation closed=closed invite=invite revoke=revoke />
                    </li>
                }
            }).collect_view()}
        </ul>
        {detail.presenting_concerns.map(|t| view! { <h2>"Presenting concerns"</h2><p class="prose">{t}</p> })}
        {detail.intake_notes.map(|t| view! { <h2>"Intake notes"</h2><p class="prose">{t}</p> })}
        <h2>"Timeline"</h2>
        <ol class="timeline">
            {detail.timeline.into_iter().map(|e| view! {
                <li>
                    <time datetime=e.at.to_rfc3339()>{e.at.format("%Y-%m-%d %H:%M UTC").to_string()}</time>
                    " \u{2014} " {e.what}
                    {e.who.map(|w| view! { <span class="muted">" by " {w}</span> })}
                </li>
            }).collect_view()}
        </ol>
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
