//! `/login/two-factor`: the second sign-in step, after the password (or single sign-on),
//! and its server functions.

use crate::components::ReturnTo;
use crate::components::{ActionError, error_of};
use crate::error::AppError;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg(feature = "ssr")]
use {
    crate::auth::mfa::flow,
    crate::auth::{guard, session::set_cookie},
    crate::error::finish,
    crate::state::app_state,
};

/// Whether this browser has a sign-in waiting for its code (the second-step page asks).
#[server(prefix = "/api", endpoint = "pending_sign_in")]
pub async fn pending_sign_in() -> Result<bool, AppError> {
    let _ctx = guard::public();
    let state = app_state()?;
    flow::has_pending(&state).await
}

/// The second sign-in step: a code from the app, or a recovery code.
#[server(prefix = "/api", endpoint = "verify_sign_in_code")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn verify_sign_in_code(code: String) -> Result<(), AppError> {
    let ctx = guard::public();
    let state = app_state()?;
    let result = flow::complete_second_step(&state, &ctx, &code).await;
    match &result {
        Ok(cookie) => {
            set_cookie(cookie);
            set_cookie(&flow::clearing_pending_cookie(&state));
        }
        Err(AppError::SignInExpired) => set_cookie(&flow::clearing_pending_cookie(&state)),
        Err(_) => {}
    }
    finish(&result, "/");
    result.map(|_| ())
}

#[component]
pub fn SecondStepPage() -> impl IntoView {
    let pending = Resource::new_blocking(|| (), |_| pending_sign_in());
    let action = ServerAction::<VerifySignInCode>::new();
    view! {
        <Title text="Two-factor code · Trellis" />
        <main id="main" class="page narrow auth-page">
            <h1>"Enter your two-factor code"</h1>
            <ActionError error=error_of(action) />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    if pending.await.unwrap_or(false) {
                        Either::Left(view! {
                            <p>"Your password was right. Now open your authenticator app and enter the code it shows for Trellis."</p>
                            <ActionForm action=action attr:class="form-stack">
                                <ReturnTo />
                                <label for="code">"Code from your app, or a recovery code"</label>
                                <input id="code" name="code" required autocomplete="one-time-code"
                                    autocapitalize="off" spellcheck="false" maxlength="40"
                                    aria-describedby="code-help" />
                                <p id="code-help" class="help">
                                    "Six digits from your app. Lost your device? Enter one of your recovery codes instead; each works once."
                                </p>
                                <button type="submit" class="button-primary">"Verify and sign in"</button>
                            </ActionForm>
                            <p><a href="/login">"Cancel and start again"</a></p>
                        })
                    } else {
                        Either::Right(view! {
                            <p>
                                "No sign-in is waiting for a code in this browser. It may have expired: the code must be entered within five minutes of the password. "
                                <a href="/login">"Sign in again"</a> "."
                            </p>
                        })
                    }
                })}
            </Suspense>
        </main>
    }
}
