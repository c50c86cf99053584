//! The administrator's home: accounts, counselor invitations and practice settings.

use crate::auth::mfa::api::ResetMfa;
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, error_of};
use crate::features::accounts::AccountSummary;
use crate::features::accounts::api::{SetAccountActive, list_accounts};
use crate::features::admin::api::{SetRetentionYears, get_practice_settings};
use crate::features::invitations::CounselorInvitation;
use crate::features::invitations::api::{
    InviteCounselor, RevokeCounselorInvitation, list_counselor_invitations,
};
use crate::features::invitations::ui::LinkToCopy;
use crate::features::passwords::ResetLink;
use crate::features::passwords::api::{MakeResetLink, fresh_reset_links};
use crate::features::passwords::ui::{AdminResetCell, MakeLinkError};
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
                fresh_reset_links().await?,
                crate::features::sessions::api::session_places().await?,
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
    let wins = ServerAction::<crate::features::progress::wins::SetWinsFromStep>::new();
    let reset_mfa = ServerAction::<ResetMfa>::new();
    let make_link = ServerAction::<MakeResetLink>::new();
    view! {
        <Title text="Accounts · Trellis" />
        <h1>"Accounts"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((accounts, invitations, settings, links, places)) => Either::Left(view! {
                        <section id="accounts" aria-labelledby="accounts-heading">
                            <h2 id="accounts-heading" class="visually-hidden">"Everyone with an account"</h2>
                            <ActionError error=error_of(set_active) />
                            <ResetError action=reset_mfa />
                            <MakeLinkError action=make_link />
                            {move || (query.read().get("saved").as_deref() == Some("two-factor"))
                                .then(|| view! { <Notice>"Two-factor sign-in has been reset. That person signs in with their password and sets it up again."</Notice> })}
                            <AccountsTable accounts=accounts set_active=set_active reset_mfa=reset_mfa
                                links=links make_link=make_link />
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
                            <ActionForm action=wins attr:class="form-stack">
                                <ReturnTo />
                                <ActionError error=error_of(wins) />
                                <label for="wins_from_step">"Open the small wins wall from step"</label>
                                <select id="wins_from_step" name="step" aria-describedby="wins-help">
                                    {(1..=10).map(|n| view! {
                                        <option value=n.to_string() selected=n == settings.wins_from_step>{n.to_string()}</option>
                                    }).collect_view()}
                                </select>
                                <p id="wins-help" class="help">"The ten-step program celebrates small wins in step 10; some practices open the wall earlier. A counselor can still turn it on or off for one couple."</p>
                                <button type="submit" class="button-primary">"Save the wins setting"</button>
                            </ActionForm>
                            <crate::features::sessions::ui::PracticeAddressForm places=places.clone() />
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
    links: Vec<(String, ResetLink)>,
    make_link: ServerAction<MakeResetLink>,
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
                    <th scope="col">"Password"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {accounts.into_iter().map(|a| {
                    let active = a.status == "active";
                    let mine = me == a.user_id;
                    let verb = if active { "Deactivate" } else { "Reactivate" };
                    let fresh = links.iter().find(|(u, _)| *u == a.user_id).map(|(_, l)| l.clone());
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
                                {(!mine && active).then(|| view! {
                                    <AdminResetCell user_id=a.user_id.clone() name=a.display_name.clone()
                                        fresh=fresh action=make_link />
                                })}
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
        <p class="help">"A password link lets someone who cannot sign in choose a new password. It works once, for an hour, and signs them out everywhere; pass it on to them yourself."</p>
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
