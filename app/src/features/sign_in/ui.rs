//! The sign-in page and the first-run page.

use super::api::{CreateFirstAdmin, SignIn, get_sign_in_options};
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, error_of};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn oidc_message(code: &str) -> &'static str {
    match code {
        "not_invited" => {
            "No Trellis account uses the email address your sign-in provider gave us. \
             Ask your counselor or administrator for an invitation."
        }
        "unverified" => {
            "Your sign-in provider has not verified your email address, so we cannot match it \
             to a Trellis account."
        }
        "invitation_used" => {
            "That invitation link can no longer be used. Ask whoever invited you for a new one."
        }
        "different_account" => {
            "Your sign-in provider's account is already linked to a different Trellis account. \
             Sign out of the provider, or accept the invitation with a password instead."
        }
        // Invitation refusals name no one: the provider's account could not be matched to
        // the invited address, or (once matched) the address's account cannot join this way.
        "identity_mismatch" => {
            "That invitation could not be accepted with the account you signed in with at your \
             sign-in provider. Open the invitation link again, and either enter the password \
             you use for Trellis, or sign in at your provider with the account for the email \
             address the invitation was sent to."
        }
        "other_kind_of_account" => {
            "This email address belongs to a different kind of Trellis account. Ask whoever \
             invited you to use another address."
        }
        "deactivated" => {
            "This account has been deactivated. Please contact your practice administrator."
        }
        _ => "Single sign-on did not complete. Please try again.",
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let options = Resource::new_blocking(|| (), |_| get_sign_in_options());
    let help = Resource::new_blocking(|| (), |_| crate::features::safety::api::crisis_help());
    let query = use_query_map();
    let signed_out = move || query.read().get("signed_out").is_some();
    let reset = move || query.read().get("reset").is_some();
    let held = move || query.read().get("held").is_some();
    let oidc_error = move || query.read().get("oidc_error");
    view! {
        <Title text="Sign in · Trellis" />
        <main id="main" class="page narrow auth-page">
            <h1>"Sign in to Trellis"</h1>
            <Show when=signed_out>
                <Notice>"You have signed out."</Notice>
            </Show>
            <Show when=held>
                <Notice>
                    "Your sign-in had ended, so what you just sent has not been saved yet. It is being kept for you for a day: sign in again in this browser and it will be sent as you wrote it. Only you can send it; anyone else who signs in here will not see it."
                </Notice>
            </Show>
            <Show when=reset>
                <Notice>"Your new password is set. Sign in with it now."</Notice>
            </Show>
            {move || {
                oidc_error()
                    .map(|code| {
                        view! {
                            <p class="message message-error" role="alert">{oidc_message(&code)}</p>
                        }
                    })
            }}
            <ActionForm action=action attr:class="form-stack">
                <ReturnTo />
                <ActionError error=error_of(action) />
                <label for="email">"Email"</label>
                <input id="email" type="email" name="email" autocomplete="username" required />
                <label for="password">"Password"</label>
                <input
                    id="password"
                    type="password"
                    name="password"
                    autocomplete="current-password"
                    required
                />
                <button type="submit" class="button-primary">"Sign in"</button>
            </ActionForm>
            <p><a href="/forgot">"Forgot your password?"</a></p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let help = help.await.ok();
                    let options = options.await.ok().map(|opts| {
                        view! {
                            {opts.oidc_label.map(|label| view! {
                                <form method="post" action="/auth/oidc/start" class="sso">
                                    <button type="submit" class="button-secondary">{label}</button>
                                </form>
                            })}
                            {(!opts.demo_accounts.is_empty()).then(|| view! {
                                <DemoAccounts
                                    accounts=opts.demo_accounts.clone()
                                    password=opts.demo_password.clone().unwrap_or_default()
                                />
                            })}
                        }
                    });
                    view! {
                        {options}
                        {help.map(|help| view! {
                            <section class="crisis-panel" aria-labelledby="help-heading">
                                <h2 id="help-heading">"Need help now?"</h2>
                                <crate::features::safety::ui::CrisisList resources=help.resources />
                            </section>
                        })}
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn DemoAccounts(accounts: Vec<super::DemoAccount>, password: String) -> impl IntoView {
    view! {
        <section class="demo-accounts" aria-labelledby="demo-heading">
            <h2 id="demo-heading">"Demo practice"</h2>
            <p>
                "This server runs the demo practice. Sign in as any of these people with the password "
                <code>{password}</code> "."
            </p>
            <ul class="demo-list">
                {accounts.into_iter().map(|a| view! {
                    <li>
                        <code>{a.email}</code>
                        <span class="demo-who">{a.role.label()} " · " {a.who}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn FirstRunPage() -> impl IntoView {
    let action = ServerAction::<CreateFirstAdmin>::new();
    let options = Resource::new_blocking(|| (), |_| get_sign_in_options());
    view! {
        <Title text="Set up Trellis" />
        <main id="main" class="page narrow auth-page">
            <h1>"Set up Trellis"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let needed = options.await.map(|o| o.needs_first_admin).unwrap_or(false);
                    if needed {
                        Either::Left(view! {
                            <p>
                                "Welcome. Create the first administrator account for your practice. "
                                "The administrator invites counselors; counselors invite the couples they see."
                            </p>
                            <ActionForm action=action attr:class="form-stack">
                                <ReturnTo />
                                <ActionError error=error_of(action) />
                                <label for="display_name">"Your name"</label>
                                <input id="display_name" name="display_name" autocomplete="name" required maxlength="100" />
                                <label for="email">"Email"</label>
                                <input id="email" type="email" name="email" autocomplete="email" required />
                                <label for="password">"Password"</label>
                                <input id="password" type="password" name="password" autocomplete="new-password"
                                    required minlength="12" aria-describedby="password-help" />
                                <p id="password-help" class="help">
                                    "At least 12 characters. A few unrelated words make a strong, memorable password."
                                </p>
                                <label for="password_confirm">"Confirm password"</label>
                                <input id="password_confirm" type="password" name="password_confirm"
                                    autocomplete="new-password" required minlength="12" />
                                <button type="submit" class="button-primary">"Create administrator account"</button>
                            </ActionForm>
                        })
                    } else {
                        Either::Right(view! {
                            <p>"Trellis is already set up. " <a href="/login">"Sign in"</a> "."</p>
                        })
                    }
                })}
            </Suspense>
        </main>
    }
}
