//! `/account/two-factor`: setting up two-factor sign-in (QR code, key, first code), the
//! recovery codes (shown once), making new ones, and turning it off.

use crate::auth::mfa::api::{
    ConfirmMfaSetup, RenewRecoveryCodes, StartMfaSetup, TurnOffMfa, mfa_status,
};
use crate::auth::mfa::{MfaSetup, PAGE, RECOVERY_CODES, TwoFactorState};
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, load_error};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let status = Resource::new_blocking(|| (), |_| mfa_status());
    view! {
        <SignedIn>
            <Title text="Two-factor sign-in · Trellis" />
            <h1>"Two-factor sign-in"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) => Either::Left(view! { <TwoFactorView status=s /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn TwoFactorView(status: TwoFactorState) -> impl IntoView {
    let query = use_query_map();
    let flag = move |k: &str| query.read().get(k).is_some();
    let codes = status.new_recovery_codes.clone();
    view! {
        {status.must_enrol.then(|| view! {
            <p class="message message-info" role="status">
                "Your practice requires two-factor sign-in for counselors and administrators. Set it up below to continue using Trellis."
            </p>
        })}
        {flag("off").then(|| view! { <Notice>"Two-factor sign-in is off."</Notice> })}
        {(flag("enabled") && status.enabled_at.is_some())
            .then(|| view! { <Notice>"Two-factor sign-in is on."</Notice> })}
        {(flag("renewed") && !codes.is_empty())
            .then(|| view! { <Notice>"New recovery codes made. The previous ones no longer work."</Notice> })}
        {(!codes.is_empty()).then(|| view! { <RecoveryCodes codes=codes /> })}
        {match (status.enabled_at, status.setup.clone()) {
            (Some(since), _) => Either::Left(view! {
                <Enabled
                    since=since.format("%Y-%m-%d").to_string()
                    left=status.recovery_codes_left
                    required=status.required
                />
            }),
            (None, Some(setup)) => Either::Right(Either::Left(view! { <Setup setup=setup /> })),
            (None, None) => Either::Right(Either::Right(view! { <Start /> })),
        }}
    }
}

#[component]
fn Start() -> impl IntoView {
    let start = ServerAction::<StartMfaSetup>::new();
    // A code sent for a set-up that can no longer be checked lands here: say why.
    let confirm = ServerAction::<ConfirmMfaSetup>::new();
    view! {
        <section class="card" aria-labelledby="start-heading">
            <h2 id="start-heading">"Protect your account with a second step"</h2>
            <p>
                "With two-factor sign-in, Trellis asks for a six-digit code from an authenticator app on your phone after your password. Someone who learns your password still cannot open your caseload. Any authenticator app works (for example, the one your phone or password manager has built in)."
            </p>
            <ActionForm action=start attr:class="form-stack">
                <ReturnTo />
                <ActionError error=error_of(confirm) />
                <ActionError error=error_of(start) />
                <button type="submit" class="button-primary">"Set up two-factor sign-in"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Setup(setup: MfaSetup) -> impl IntoView {
    let confirm = ServerAction::<ConfirmMfaSetup>::new();
    let restart = ServerAction::<StartMfaSetup>::new();
    view! {
        <section id="setup" class="card" aria-labelledby="setup-heading">
            <h2 id="setup-heading">"Add Trellis to your authenticator app"</h2>
            <ol>
                <li>"Open your authenticator app and choose to add an account."</li>
                <li>"Scan this QR code, or type the key below into the app."</li>
                <li>"Enter the six-digit code the app now shows for Trellis."</li>
            </ol>
            <div class="qr" role="img" aria-label="QR code to scan with your authenticator app"
                inner_html=setup.qr_svg></div>
            <p>
                "Cannot scan? Type this key into your app (time-based, six digits): "
                <code class="mfa-secret" data-testid="mfa-secret">{setup.secret}</code>
            </p>
            <ActionForm action=confirm attr:class="form-stack">
                <ReturnTo />
                <ActionError error=error_of(confirm) />
                <label for="setup_code">"Code from your app"</label>
                <input id="setup_code" name="code" required inputmode="numeric"
                    autocomplete="one-time-code" maxlength="7" aria-describedby="setup-code-help" />
                <p id="setup-code-help" class="help">"Six digits. A new code appears every 30 seconds."</p>
                <button type="submit" class="button-primary">"Turn on two-factor sign-in"</button>
            </ActionForm>
            <ActionForm action=restart attr:class="form-stack">
                <ReturnTo />
                <ActionError error=error_of(restart) />
                <button type="submit" class="button-secondary">"Start again with a new key"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <section id="recovery-codes" class="card" aria-labelledby="codes-heading">
            <h2 id="codes-heading">"Your recovery codes"</h2>
            <p>
                "If you cannot use your authenticator app, each of these codes signs you in once. "
                <strong>"This is the only time Trellis shows them."</strong>
                " Keep them somewhere safe, such as your password manager or on paper in a locked drawer."
            </p>
            <ol class="recovery-codes" aria-label="Recovery codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn Enabled(since: String, left: i64, required: bool) -> impl IntoView {
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let off = ServerAction::<TurnOffMfa>::new();
    view! {
        <section class="card" aria-labelledby="on-heading">
            <h2 id="on-heading">"Two-factor sign-in is on"</h2>
            <p>
                {format!("On since {since}. After your password, Trellis asks for a code from your app. ")}
                <span data-testid="recovery-codes-left">
                    {format!("{left} of {RECOVERY_CODES} recovery codes left.")}
                </span>
            </p>
        </section>
        <section class="card" aria-labelledby="renew-heading">
            <h2 id="renew-heading">"New recovery codes"</h2>
            <p>"Make a new set of ten codes if you have used some or lost them. The old ones stop working."</p>
            <ActionForm action=renew attr:class="form-stack">
                <ReturnTo />
                <ActionError error=error_of(renew) />
                <label for="renew_code">"Current code from your app"</label>
                <input id="renew_code" name="code" required inputmode="numeric"
                    autocomplete="one-time-code" maxlength="7" />
                <button type="submit" class="button-primary">"Make new recovery codes"</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="off-heading">
            <h2 id="off-heading">"Turn off two-factor sign-in"</h2>
            {if required {
                Either::Left(view! {
                    <p>
                        "Your practice requires two-factor sign-in, so it stays on. If you lose your device and your recovery codes, an administrator can reset it for you."
                    </p>
                })
            } else {
                Either::Right(view! {
                    <ActionForm action=off attr:class="form-stack">
                        <ReturnTo />
                        <ActionError error=error_of(off) />
                        <label for="off_proof">"Current code from your app, or your password"</label>
                        <input id="off_proof" name="proof" type="password" required
                            autocomplete="current-password" />
                        <button type="submit" class="button-secondary">"Turn off two-factor sign-in"</button>
                    </ActionForm>
                })
            }}
        </section>
    }
}

/// A card for the settings page linking to the two-factor page (counselors and administrators).
#[component]
pub fn TwoFactorLink() -> impl IntoView {
    let allowed = use_context::<crate::auth::CurrentUser>()
        .is_some_and(|u| crate::auth::mfa::role_may_use(u.role));
    allowed.then(|| {
        view! {
            <section aria-labelledby="two-factor-heading" class="card">
                <h2 id="two-factor-heading">"Two-factor sign-in"</h2>
                <p>"Ask for a code from an authenticator app after your password, so a stolen password is not enough."</p>
                <p><a href=PAGE>"Manage two-factor sign-in"</a></p>
            </section>
        }
    })
}
