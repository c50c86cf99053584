//! The administrator's two-factor controls: the practice policy (in the practice settings)
//! and resetting a person's two-factor (in the accounts table).

use crate::auth::mfa::api::{ResetMfa, SetTwoFactorRequired};
use crate::components::ReturnTo;
use crate::components::{ActionError, error_of};
use leptos::prelude::*;

/// "Require two-factor for counselors and admins": on or off.
#[component]
pub fn TwoFactorPolicyForm(required: bool) -> impl IntoView {
    let action = ServerAction::<SetTwoFactorRequired>::new();
    view! {
        <ActionForm action=action attr:class="form-stack">
            <ReturnTo />
            <ActionError error=error_of(action) />
            <fieldset>
                <legend>"Require two-factor for counselors and admins"</legend>
                <p class="help">
                    "When required, counselors and administrators who have not set up two-factor sign-in "
                    "are taken to set it up when they next sign in (or open a page), and can use nothing "
                    "else until they have. Partners are not asked. This includes you."
                </p>
                <label class="choice">
                    <input type="radio" name="required" value="on" checked=required />
                    " Required"
                </label>
                <label class="choice">
                    <input type="radio" name="required" value="off" checked=!required />
                    " Optional: each person decides"
                </label>
            </fieldset>
            <button type="submit" class="button-primary">"Save the two-factor setting"</button>
        </ActionForm>
    }
}

/// The accounts table's two-factor cell: "On" with a reset button, "Off", or a dash for
/// partners (who do not use it).
#[component]
pub fn TwoFactorCell(
    action: ServerAction<ResetMfa>,
    user_id: String,
    name: String,
    role: crate::auth::Role,
    on: bool,
    mine: bool,
) -> impl IntoView {
    let label = match (crate::auth::mfa::role_may_use(role), on) {
        (_, true) => "On",
        (true, false) => "Off",
        (false, false) => "\u{2014}",
    };
    view! {
        {label}
        {(on && !mine).then(|| view! {
            " "
            <ActionForm action=action attr:class="inline-form">
                <ReturnTo />
                <input type="hidden" name="user_id" value=user_id />
                <button type="submit" class="button-secondary button-small"
                    aria-label=format!("Reset two-factor sign-in of {name}")>"Reset"</button>
            </ActionForm>
        })}
    }
}

/// The error of the last reset, shown above the accounts table.
#[component]
pub fn ResetError(action: ServerAction<ResetMfa>) -> impl IntoView {
    view! { <ActionError error=error_of(action) /> }
}
