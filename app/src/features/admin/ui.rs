//! The administrator's pages: accounts and counselor invitations with practice settings
//! (home), couples and their counselors, and the audit log.

use super::api::{
    ReassignCouple, SetRetentionYears, audit_log, get_practice_settings, list_couples,
};
use super::{AuditPage, Choice, CouplesPage};
use crate::auth::mfa::api::ResetMfa;
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, load_error};
use crate::features::accounts::AccountSummary;
use crate::features::accounts::api::{SetAccountActive, list_accounts};
use crate::features::invitations::CounselorInvitation;
use crate::features::invitations::api::{
    InviteCounselor, RevokeCounselorInvitation, list_counselor_invitations,
};
use crate::features::invitations::ui::LinkToCopy;
use crate::features::sign_in::admin_ui::{ResetError, TwoFactorCell, TwoFactorPolicyForm};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The administrator's home: accounts, counselor invitations and practice settings, read in
/// one go (one `Suspense` per page).
#[component]
pub fn AdminHome() -> impl IntoView {
    let data = Resource::new_blocking(
        || (),
        |_| async {
            Ok::<_, crate::error::AppError>((
                list_accounts().await?,
                list_counselor_invitations().await?,
                get_practice_settings().await?,
            ))
        },
    );
    let query = use_query_map();
    let saved = move || query.read().get("saved").as_deref() == Some("settings");
    let set_active = ServerAction::<SetAccountActive>::new();
    let invite = ServerAction::<InviteCounselor>::new();
    let revoke = ServerAction::<RevokeCounselorInvitation>::new();
    let retention = ServerAction::<SetRetentionYears>::new();
    let csi = ServerAction::<crate::features::progress::api::SetCsiEnabled>::new();
    let reset_mfa = ServerAction::<ResetMfa>::new();
    view! {
        <Title text="Accounts · Trellis" />
        <h1>"Accounts"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((accounts, invitations, settings)) => Either::Left(view! {
                        <section id="accounts" aria-labelledby="accounts-heading">
                            <h2 id="accounts-heading" class="visually-hidden">"Everyone with an account"</h2>
                            <ActionError error=error_of(set_active) />
                            <ResetError action=reset_mfa />
                            {move || (query.read().get("saved").as_deref() == Some("two-factor"))
                                .then(|| view! { <Notice>"Two-factor sign-in has been reset. That person signs in with their password and sets it up again."</Notice> })}
                            <AccountsTable accounts=accounts set_active=set_active reset_mfa=reset_mfa />
                        </section>
                        <section id="invitations" aria-labelledby="invite-heading">
                            <h2 id="invite-heading">"Invite a counselor"</h2>
                            <ActionForm action=invite attr:class="form-stack">
                                <ReturnTo />
                                <ActionError error=error_of(invite) />
                                <label for="counselor_name">"Counselor's name"</label>
                                <input id="counselor_name" name="display_name" required maxlength="100" autocomplete="off" />
                                <label for="counselor_email">"Counselor's email"</label>
                                <input id="counselor_email" name="email" type="email" required autocomplete="off" />
                                <button type="submit" class="button-primary">"Create invitation link"</button>
                            </ActionForm>
                            <ActionError error=error_of(revoke) />
                            <CounselorInvitations invitations=invitations revoke=revoke />
                        </section>
                        <section id="settings" aria-labelledby="settings-heading">
                            <h2 id="settings-heading">"Practice settings"</h2>
                            {move || saved().then(|| view! { <Notice>"Settings saved."</Notice> })}
                            <ActionForm action=retention attr:class="form-stack">
                                <ReturnTo />
                                <ActionError error=error_of(retention) />
                                <label for="retention_years">"Keep closed cases for (years)"</label>
                                <input id="retention_years" name="retention_years" type="number" min="1" max="100"
                                    required value=settings.retention_years.to_string() aria-describedby="retention-help" />
                                <p id="retention-help" class="help">
                                    "Clinical records are kept after a case closes and are never deleted from Trellis's pages. \
                                     Check the period your licensing board or local law requires; seven years is common."
                                </p>
                                <button type="submit" class="button-primary">"Save settings"</button>
                            </ActionForm>
                            <ActionForm action=csi attr:class="form-stack">
                                <ReturnTo />
                                <ActionError error=error_of(csi) />
                                <fieldset>
                                    <legend>"Relationship satisfaction (CSI-4) in check-ins"</legend>
                                    <p class="help">"The four-item Couples Satisfaction Index (Funk & Rogge, 2007). Trust, hope and the safety question are always asked."</p>
                                    <label class="choice">
                                        <input type="radio" name="on" value="on" checked=settings.csi_enabled />
                                        " Ask the CSI-4"
                                    </label>
                                    <label class="choice">
                                        <input type="radio" name="on" value="off" checked=!settings.csi_enabled />
                                        " Do not ask it"
                                    </label>
                                </fieldset>
                                <button type="submit" class="button-primary">"Save the measure setting"</button>
                            </ActionForm>
                            <TwoFactorPolicyForm required=settings.two_factor_required />
                        </section>
                    }),
                    Err(err) => Either::Right(view! {
                        <p class="message message-error" role="alert">{err.to_string()}</p>
                    }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountsTable(
    accounts: Vec<AccountSummary>,
    set_active: ServerAction<SetAccountActive>,
    reset_mfa: ServerAction<ResetMfa>,
) -> impl IntoView {
    let me = use_context::<crate::auth::CurrentUser>()
        .map(|u| u.user_id)
        .unwrap_or_default();
    view! {
        <table class="data-table">
            <caption>"Everyone with an account in this practice"</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Since"</th>
                    <th scope="col">"Two-factor"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {accounts.into_iter().map(|a| {
                    let active = a.status == "active";
                    let mine = me == a.user_id;
                    let verb = if active { "Deactivate" } else { "Reactivate" };
                    view! {
                        <tr>
                            <td>{a.display_name.clone()}</td>
                            <td>{a.email}</td>
                            <td>{a.role.label()}</td>
                            <td>{if active { "Active" } else { "Deactivated" }}</td>
                            <td>{a.created_at.format("%Y-%m-%d").to_string()}</td>
                            <td>
                                <TwoFactorCell action=reset_mfa user_id=a.user_id.clone()
                                    name=a.display_name.clone() role=a.role on=a.two_factor mine=mine />
                            </td>
                            <td>
                                {(!mine).then(|| view! {
                                    <ActionForm action=set_active attr:class="inline-form">
                                        <ReturnTo />
                                        <input type="hidden" name="user_id" value=a.user_id.clone() />
                                        <input type="hidden" name="active" value=(!active).to_string() />
                                        <button type="submit" class="button-secondary button-small"
                                            aria-label=format!("{verb} {}", a.display_name)>{verb}</button>
                                    </ActionForm>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="help">"Deactivating an account signs that person out everywhere at once. Nothing they wrote is deleted."</p>
    }
}

#[component]
fn CounselorInvitations(
    invitations: Vec<CounselorInvitation>,
    revoke: ServerAction<RevokeCounselorInvitation>,
) -> impl IntoView {
    if invitations.is_empty() {
        return Either::Left(());
    }
    Either::Right(view! {
        <h3>"Invitations not yet accepted"</h3>
        <ul class="invitations">
            {invitations.into_iter().map(|i| {
                let pending = i.state.status == crate::features::invitations::InvitationStatus::Pending;
                let id = i.state.invitation_id.clone().unwrap_or_default();
                view! {
                    <li>
                        <strong>{i.display_name.clone()}</strong> " " <span class="muted">{i.email.clone()}</span>
                        <div>{i.state.describe()}</div>
                        {i.state.link.clone().map(|link| view! {
                            <LinkToCopy link=link for_name=i.display_name.clone() id=format!("invitation-link-{id}") emailed=i.state.emailed />
                        })}
                        {pending.then(|| view! {
                            <ActionForm action=revoke attr:class="inline-form">
                                <ReturnTo />
                                <input type="hidden" name="invitation_id" value=id.clone() />
                                <button type="submit" class="button-secondary button-small">
                                    {format!("Revoke {}'s link", i.display_name)}
                                </button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    })
}

fn page_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1)
    }
}

/// `/admin/couples`: which counselor has which couple, and reassigning them.
#[component]
pub fn CouplesAdminPage() -> impl IntoView {
    let page = page_param();
    let data = Resource::new_blocking(page, list_couples);
    let query = use_query_map();
    let reassigned = move || query.read().get("reassigned").is_some();
    let action = ServerAction::<ReassignCouple>::new();
    view! {
        <SignedIn>
            <Title text="Couples · Trellis" />
            <h1>"Couples and their counselors"</h1>
            <p class="help">"Administrators see who each couple is with, never what is in their case."</p>
            {move || reassigned().then(|| view! { <Notice>"The couple has been reassigned."</Notice> })}
            <ActionError error=error_of(action) />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => Either::Left(view! { <CouplesTable data=data action=action /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn CouplesTable(data: CouplesPage, action: ServerAction<ReassignCouple>) -> impl IntoView {
    if data.couples.is_empty() {
        return Either::Left(view! { <p class="empty-state">"No couples yet."</p> });
    }
    let pages = (data.total + data.per_page - 1) / data.per_page;
    let counselors = data.counselors;
    Either::Right(view! {
        <table class="data-table">
            <caption>{format!("{} couples", data.total)}</caption>
            <thead>
                <tr>
                    <th scope="col">"Couple"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Counselor"</th>
                    <th scope="col">"Reassign to"</th>
                </tr>
            </thead>
            <tbody>
                {data.couples.into_iter().map(|c| {
                    let select_id = format!("counselor-{}", c.couple_id);
                    let options = counselors.iter().filter(|o| o.id != c.counselor_id).map(|o: &Choice| view! {
                        <option value=o.id.clone()>{o.label.clone()}</option>
                    }).collect_view();
                    view! {
                        <tr>
                            <td>{c.case_name.clone()}</td>
                            <td>{c.status.label()}</td>
                            <td>{c.counselor_name}</td>
                            <td>
                                <ActionForm action=action attr:class="inline-form reassign">
                                    <ReturnTo />
                                    <input type="hidden" name="couple_id" value=c.couple_id.clone() />
                                    <label for=select_id.clone() class="visually-hidden">{format!("New counselor for {}", c.case_name)}</label>
                                    <select id=select_id name="counselor_id" required>
                                        <option value="">"Choose a counselor"</option>
                                        {options}
                                    </select>
                                    <button type="submit" class="button-secondary button-small"
                                        aria-label=format!("Reassign {}", c.case_name)>"Reassign"</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label="Pages">
                {(data.page > 1).then(|| view! { <a href=format!("/admin/couples?page={}", data.page - 1)>"Previous"</a> })}
                <span>{format!("Page {} of {pages}", data.page)}</span>
                {(data.page < pages).then(|| view! { <a href=format!("/admin/couples?page={}", data.page + 1)>"Next"</a> })}
            </nav>
        })}
    })
}

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

/// `/admin/overview`: the practice in numbers.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| super::api::practice_overview());
    view! {
        <SignedIn>
            <Title text="Practice overview · Trellis" />
            <h1>"Practice overview"</h1>
            <p class="help">"Counts only: nothing here names a couple or shows what anyone wrote."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(o) => {
                            let rate = if o.homework_due > 0 {
                                format!("{}% ({} of {})", o.homework_overdue * 100 / o.homework_due, o.homework_overdue, o.homework_due)
                            } else {
                                "\u{2014}".to_string()
                            };
                            Either::Left(view! {
                                <dl class="facts">
                                    {o.couples.into_iter().map(|(label, n)| view! { <dt>{format!("Couples: {label}")}</dt><dd>{n}</dd> }).collect_view()}
                                    <dt>"Active counselors"</dt><dd>{o.counselors}</dd>
                                    <dt>"Active partners"</dt><dd>{o.partners}</dd>
                                    <dt>"Open homework past its due date"</dt><dd>{rate}</dd>
                                    <dt>"Open safety flags"</dt><dd>{o.open_safety_flags}</dd>
                                </dl>
                                <table class="data-table">
                                    <caption>"Check-ins per week"</caption>
                                    <thead><tr><th scope="col">"Week of"</th><th scope="col">"Check-ins"</th></tr></thead>
                                    <tbody>
                                        {o.check_ins_per_week.into_iter().map(|(w, n)| view! { <tr><td>{w}</td><td>{n}</td></tr> }).collect_view()}
                                    </tbody>
                                </table>
                            })
                        }
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}
