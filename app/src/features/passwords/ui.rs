//! Pages and pieces for passwords: the Settings section to change one's password, the
//! "forgot your password" page, the page a reset link opens, and the reset link a
//! counselor or an administrator makes and copies.

use super::api::{
    ChangePassword, ForgotPassword, MakePartnerResetLink, MakeResetLink, ResetPassword,
    get_password_reset, my_password_settings, password_help,
};
use super::{PartnerReset, ResetLink, ResetPage, VALID_MINUTES};
use crate::components::{ActionError, CopyButton, Notice, ReturnTo, error_of};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const PASSWORD_HELP: &str =
    "At least 12 characters. A few unrelated words make a strong, memorable password.";

/// Settings: change your password (or, for single sign-on only, why there is none).
#[component]
pub fn ChangePasswordSection() -> impl IntoView {
    let settings = Resource::new_blocking(|| (), |_| my_password_settings());
    let action = ServerAction::<ChangePassword>::new();
    let query = use_query_map();
    let saved = move || query.read().get("saved").as_deref() == Some("password");
    view! {
        <section id="password" aria-labelledby="password-heading" class="card">
            <h2 id="password-heading">"Password"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) if s.has_password => Either::Left(view! {
                            {move || saved().then(|| view! {
                                <Notice>"Your password has been changed. Any other device signed in to your account has been signed out."</Notice>
                            })}
                            <p>"Changing your password signs you out on every other device. You stay signed in here."</p>
                            <ActionForm action=action attr:class="form-stack">
                                <ReturnTo />
                                <ActionError error=error_of(action) />
                                // For password managers: which account this is.
                                <input type="hidden" name="username" autocomplete="username" value=s.email />
                                <label for="current_password">"Current password"</label>
                                <input id="current_password" type="password" name="current_password"
                                    autocomplete="current-password" required />
                                <label for="new_password">"New password"</label>
                                <input id="new_password" type="password" name="new_password"
                                    autocomplete="new-password" required minlength="12"
                                    aria-describedby="new-password-help" />
                                <p id="new-password-help" class="help">{PASSWORD_HELP}</p>
                                <label for="new_password_confirm">"New password again"</label>
                                <input id="new_password_confirm" type="password" name="new_password_confirm"
                                    autocomplete="new-password" required minlength="12" />
                                <button type="submit" class="button-primary">"Change password"</button>
                            </ActionForm>
                        }),
                        Ok(_) => Either::Right(view! {
                            <p>
                                "You sign in to Trellis through your organisation's single sign-on, so there is "
                                "no Trellis password to change. To change how you sign in, use your "
                                "organisation's account settings."
                            </p>
                        }.into_any()),
                        Err(err) => Either::Right(view! {
                            <p class="message message-error" role="alert">{err.to_string()}</p>
                        }.into_any()),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/forgot`: ask for a reset link by email, or (email off) who to ask.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let mail = Resource::new_blocking(|| (), |_| password_help());
    let action = ServerAction::<ForgotPassword>::new();
    let query = use_query_map();
    let sent = move || {
        query.read().get("sent").is_some() || action.value().with(|v| matches!(v, Some(Ok(()))))
    };
    view! {
        <Title text="Forgot your password? · Trellis" />
        <main id="main" class="page narrow auth-page">
            <h1>"Forgot your password?"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match mail.await {
                        Ok(true) => Either::Left(view! {
                            {move || sent().then(|| view! {
                                <Notice>
                                    "If an account uses that address, we have sent it a link to set a new password. "
                                    "The link works once, for one hour. If nothing arrives in a few minutes, check "
                                    "your spam folder, or ask your counselor or administrator for a link."
                                </Notice>
                            })}
                            <p>"Enter the email address you sign in with. We will send a link to set a new password."</p>
                            <ActionForm action=action attr:class="form-stack">
                                <ReturnTo />
                                <ActionError error=error_of(action) />
                                <label for="email">"Email"</label>
                                <input id="email" type="email" name="email" autocomplete="username" required />
                                <button type="submit" class="button-primary">"Send me a link"</button>
                            </ActionForm>
                        }),
                        _ => Either::Right(view! {
                            <p>
                                "Ask your counselor (or, if you are a counselor, your practice administrator) "
                                "for a link to set a new password. This practice does not send email, so the "
                                "link comes from them."
                            </p>
                        }),
                    }
                })}
            </Suspense>
            <p><a href="/login">"Back to sign in"</a></p>
        </main>
    }
}

/// `/reset/:token`: what a reset link opens.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let page = Resource::new_blocking(token, get_password_reset);
    view! {
        <main id="main" class="page narrow auth-page">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(ResetPage::Open { email }) => Either::Left(view! { <ResetForm email=email token=token() /> }),
                        _ => Either::Right(view! {
                            <Title text="This link no longer works · Trellis" />
                            <h1>"This link no longer works"</h1>
                            <p>
                                "A link to set a new password works once, for one hour. This one has been "
                                "used, has expired, or was not copied whole."
                            </p>
                            <p><a href="/forgot">"Ask for a new link"</a></p>
                            <p><a href="/login">"Go to the sign-in page"</a></p>
                        }),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn ResetForm(email: String, token: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    view! {
        <Title text="Choose a new password · Trellis" />
        <h1>"Choose a new password"</h1>
        <p>"For the account " <strong>{email.clone()}</strong> ". Once it is set, sign in with it."</p>
        <ActionForm action=action attr:class="form-stack">
            <ReturnTo />
            <ActionError error=error_of(action) />
            <input type="hidden" name="token" value=token />
            <input type="hidden" name="username" autocomplete="username" value=email />
            <label for="password">"New password"</label>
            <input id="password" type="password" name="password" autocomplete="new-password"
                required minlength="12" aria-describedby="password-help" />
            <p id="password-help" class="help">{PASSWORD_HELP}</p>
            <label for="password_confirm">"New password again"</label>
            <input id="password_confirm" type="password" name="password_confirm"
                autocomplete="new-password" required minlength="12" />
            <button type="submit" class="button-primary">"Set my new password"</button>
        </ActionForm>
        <p class="help">"Setting it signs this account out everywhere it is signed in."</p>
    }
}

/// A fresh reset link, ready to copy.
#[component]
fn ResetLinkToCopy(link: String, for_name: String, id: String) -> impl IntoView {
    let label = format!("Copy the password link for {for_name}");
    view! {
        <div class="invite-link">
            <label for=id.clone()>{format!("Link for {for_name} to set a new password")}</label>
            <div class="copy-row">
                <input id=id readonly value=link class="link-field" data-testid="reset-link" data-copy-label=label />
                <CopyButton />
            </div>
            <p class="help">
                {format!(
                    "Pass this link on to {for_name} yourself. It works once, for {VALID_MINUTES} minutes, and signs \
                     them out wherever they are signed in. Trellis keeps no copy: it is shown here only for the next few minutes."
                )}
            </p>
        </div>
    }
}

/// A partner's reset link on the case page, once they have joined.
#[component]
pub fn PartnerResetLink(
    couple_id: String,
    name: String,
    reset: PartnerReset,
    closed: bool,
    action: ServerAction<MakePartnerResetLink>,
) -> impl IntoView {
    if !reset.joined {
        return EitherOf3::A(());
    }
    let first = name.split_whitespace().next().unwrap_or(&name).to_string();
    let link = reset.latest.link.clone().map(|link| {
        view! { <ResetLinkToCopy link=link for_name=name.clone() id=format!("reset-link-{}", reset.position) /> }
    });
    if closed {
        return EitherOf3::B(link);
    }
    EitherOf3::C(view! {
        {link}
        <ActionForm action=action attr:class="inline-form">
            <ReturnTo />
            <input type="hidden" name="couple_id" value=couple_id />
            <input type="hidden" name="position" value=reset.position.to_string() />
            <button type="submit" class="button-quiet">{format!("Make a link for {first} to set a new password")}</button>
        </ActionForm>
    })
}

/// The administrator's accounts table: make a reset link for someone, and the fresh one.
#[component]
pub fn AdminResetCell(
    user_id: String,
    name: String,
    fresh: Option<ResetLink>,
    action: ServerAction<MakeResetLink>,
) -> impl IntoView {
    let link = fresh.and_then(|f| f.link).map(|link| {
        view! { <ResetLinkToCopy link=link for_name=name.clone() id=format!("reset-link-{user_id}") /> }
    });
    view! {
        {link}
        <ActionForm action=action attr:class="inline-form">
            <ReturnTo />
            <input type="hidden" name="user_id" value=user_id.clone() />
            <button type="submit" class="button-secondary button-small"
                aria-label=format!("Make a link for {name} to set a new password")>"Password link"</button>
        </ActionForm>
    }
}

/// The error of the last link made, shown above the accounts table.
#[component]
pub fn MakeLinkError(action: ServerAction<MakeResetLink>) -> impl IntoView {
    view! { <ActionError error=error_of(action) /> }
}
