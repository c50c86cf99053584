//! The invitation page a link opens, and the pieces inviters see: an invitation's state,
//! the fresh link to copy, and the buttons to create a new link or revoke the open one.

use super::accept::{AcceptInvitation, AcceptInvitationWithAccount};
use super::api::{InvitePartner, RevokePartnerInvitation, get_invitation};
use super::{InvitationPage, InvitationState, InvitationStatus, OpenInvitation, VALID_DAYS};
use crate::auth::Role;
use crate::components::ReturnTo;
use crate::components::{ActionError, CopyButton, error_of};
use leptos::either::EitherOf5;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// A freshly created link, ready to copy.
#[component]
pub fn LinkToCopy(link: String, for_name: String, id: String, emailed: bool) -> impl IntoView {
    let label = format!("Copy the invitation link for {for_name}");
    view! {
        <div class="invite-link">
            <label for=id.clone()>{format!("Invitation link for {for_name}")}</label>
            <div class="copy-row">
                <input id=id readonly value=link class="link-field" data-testid="invitation-link" data-copy-label=label />
                <CopyButton />
            </div>
            <p class="help">
                {if emailed {
                    format!(
                        "Trellis is emailing this link to {for_name}; you can also pass it on yourself. It works once, for {VALID_DAYS} days. \
                         It is shown here only for the next few minutes, and a new link replaces it."
                    )
                } else {
                    format!(
                        "Send this link to {for_name} yourself, by email or message. It works once, for {VALID_DAYS} days. \
                         Trellis keeps no copy: it is shown here only for the next few minutes, and a new link replaces it."
                    )
                }}
            </p>
        </div>
    }
}

/// A partner's invitation on the case page: where it stands and what the counselor can do.
#[component]
pub fn PartnerInvitation(
    couple_id: String,
    position: i64,
    name: String,
    state: InvitationState,
    closed: bool,
    invite: ServerAction<InvitePartner>,
    revoke: ServerAction<RevokePartnerInvitation>,
) -> impl IntoView {
    let first = name.split_whitespace().next().unwrap_or(&name).to_string();
    let status = state.status;
    let link = state.link.clone().map(|link| {
        view! { <LinkToCopy link=link for_name=name.clone() id=format!("invitation-link-{position}") emailed=state.emailed /> }
    });
    let can_invite = !closed && status != InvitationStatus::Accepted;
    let invite_label = match status {
        InvitationStatus::Pending => format!("Create a new link for {first}"),
        InvitationStatus::NotInvited => format!("Create an invitation link for {first}"),
        _ => format!("Create a new invitation link for {first}"),
    };
    let position_s = position.to_string();
    let revoke_form = (status == InvitationStatus::Pending).then(|| {
        let (couple_id, position_s) = (couple_id.clone(), position_s.clone());
        view! {
            <ActionForm action=revoke attr:class="inline-form">
                <ReturnTo />
                <input type="hidden" name="couple_id" value=couple_id />
                <input type="hidden" name="position" value=position_s />
                <button type="submit" class="button-quiet">{format!("Revoke {first}'s link")}</button>
            </ActionForm>
        }
    });
    let buttons = can_invite.then(move || {
        view! {
            <div class="button-row">
                <ActionForm action=invite attr:class="inline-form">
                    <ReturnTo />
                    <input type="hidden" name="couple_id" value=couple_id />
                    <input type="hidden" name="position" value=position_s />
                    <button type="submit" class="button-secondary">{invite_label}</button>
                </ActionForm>
                {revoke_form}
            </div>
        }
    });
    view! {
        <div class=format!("invitation invitation-{}", status.as_str())>
            <p class="invitation-state">{state.describe()}</p>
            {link}
            {buttons}
        </div>
    }
}

/// `/invite/:token`: what an invitation link opens.
#[component]
pub fn InvitationPageView() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let page = Resource::new_blocking(token, get_invitation);
    view! {
        <main id="main" class="page narrow auth-page">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(InvitationPage::Open(open)) => EitherOf5::A(view! { <AcceptForm open=open token=token() /> }),
                        Ok(InvitationPage::Accepted) => EitherOf5::B(closed_link(
                            "This invitation has already been used",
                            "Each invitation link works once. If you accepted it, sign in with the account you created.",
                        )),
                        Ok(InvitationPage::Expired) => EitherOf5::C(closed_link(
                            "This invitation link has expired",
                            "Invitation links work for a week. Ask whoever invited you to create a new one.",
                        )),
                        Ok(InvitationPage::Revoked) => EitherOf5::D(closed_link(
                            "This invitation link is no longer valid",
                            "It was replaced or withdrawn. If you were sent a newer link, use that one; otherwise ask whoever invited you for a new one.",
                        )),
                        Ok(InvitationPage::Unknown) | Err(_) => {
                            #[cfg(feature = "ssr")]
                            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                                res.set_status(http::StatusCode::NOT_FOUND);
                            }
                            EitherOf5::E(closed_link(
                                "This invitation link is not valid",
                                "Check that the whole link was copied. If it still does not work, ask whoever invited you for a new one.",
                            ))
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}

fn closed_link(title: &'static str, text: &'static str) -> impl IntoView {
    view! {
        <Title text=format!("{title} · Trellis") />
        <h1>{title}</h1>
        <p>{text}</p>
        <p><a href="/login">"Go to the sign-in page"</a></p>
    }
}

/// The page an open link shows. It is the same whether or not the invited address already
/// has an account (nothing on it depends on that), so whoever opens the link, perhaps the
/// person who made it, learns nothing about the address. Each way in is offered to everyone:
/// a new account, the existing account's password, and single sign-on when configured.
#[component]
fn AcceptForm(open: OpenInvitation, token: String) -> impl IntoView {
    let create = ServerAction::<AcceptInvitation>::new();
    let join = ServerAction::<AcceptInvitationWithAccount>::new();
    let what = match open.role {
        Role::Counselor => "to join your practice on Trellis as a counselor".to_string(),
        _ => "to Trellis, where you will find the homework and check-ins for your counseling. \
              What you write here is yours: your partner sees only what you choose to share"
            .to_string(),
    };
    let expires = open.expires_at.format("%-d %B %Y").to_string();
    let (token_for_join, token_for_sso) = (token.clone(), token.clone());
    view! {
        <Title text="Accept your invitation · Trellis" />
        <h1>{format!("Welcome, {}", open.display_name)}</h1>
        <p>{format!("{} has invited you {what}.", open.invited_by)}</p>
        <p>"This invitation is for " <strong>{open.email}</strong> "."</p>

        <section class="invite-way" aria-labelledby="invite-new">
            <h2 id="invite-new">"New to Trellis?"</h2>
            <p>"Choose a password to make your account."</p>
            <ActionForm action=create attr:class="form-stack">
                <ReturnTo />
                <ActionError error=error_of(create) />
                <input type="hidden" name="token" value=token />
                <label for="display_name">"Your name"</label>
                <input id="display_name" name="display_name" autocomplete="name" required maxlength="100"
                    value=open.display_name />
                <label for="password">"Choose a password"</label>
                <input id="password" type="password" name="password" autocomplete="new-password"
                    required minlength="12" aria-describedby="password-help" />
                <p id="password-help" class="help">
                    "At least 12 characters. A few unrelated words make a strong, memorable password."
                </p>
                <label for="password_confirm">"Confirm password"</label>
                <input id="password_confirm" type="password" name="password_confirm"
                    autocomplete="new-password" required minlength="12" />
                <button type="submit" class="button-primary">"Create my account"</button>
            </ActionForm>
        </section>

        <section class="invite-way" aria-labelledby="invite-existing">
            <h2 id="invite-existing">"Already use Trellis?"</h2>
            <p>
                "If you already have a Trellis account with this email address, for example from "
                "earlier counseling, enter its password. This invitation is added to that account."
            </p>
            <ActionForm action=join attr:class="form-stack">
                <ReturnTo />
                <ActionError error=error_of(join) />
                <input type="hidden" name="token" value=token_for_join />
                <label for="current_password">"Your Trellis password"</label>
                <input id="current_password" type="password" name="password"
                    autocomplete="current-password" required />
                <button type="submit" class="button-primary">"Accept with my password"</button>
            </ActionForm>
        </section>

        {open.oidc_label.map(|label| view! {
            <section class="invite-way" aria-labelledby="invite-sso">
                <h2 id="invite-sso">"Or use single sign-on"</h2>
                <p>
                    "New to Trellis? Your account is made for you, and you sign in this way from "
                    "now on. Already use Trellis? Sign in with the account you use for Trellis, "
                    "or with one whose verified email address is the one this invitation is for."
                </p>
                <form method="post" action="/auth/oidc/start" class="sso">
                    <input type="hidden" name="invitation" value=token_for_sso />
                    <button type="submit" class="button-secondary">{label}</button>
                </form>
            </section>
        })}
        <p class="help">{format!("This invitation link works until {expires}.")}</p>
    }
}
