//! The couple form: opening a case, and correcting its details later.

use super::super::api::{CreateCouple, UpdateCouple, get_couple};
use super::super::{CaseOverview, CaseStatus, PartnerView, RuptureRole};
use crate::auth::{CurrentUser, Role};
use crate::components::ReturnTo;
use crate::components::{ActionError, SignedIn, error_of, not_found, textarea_text};
use crate::ids::CoupleId;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The fields of the couple form, empty or holding a case's current details.
#[component]
fn CoupleFields(initial: Option<CaseOverview>) -> impl IntoView {
    let partner = |n: i64, current: Option<PartnerView>| {
        let f = move |name: &str| format!("couple[partner{n}_{name}]");
        let id = move |name: &str| format!("partner{n}_{name}");
        let role = current
            .as_ref()
            .map(|p| p.rupture_role)
            .unwrap_or(RuptureRole::Unspecified);
        let joined = current.as_ref().is_some_and(|p| p.joined);
        let (name, email, pronouns) = current
            .map(|p| (p.display_name, p.email, p.pronouns.unwrap_or_default()))
            .unwrap_or_default();
        let options = [
            RuptureRole::Unspecified,
            RuptureRole::BrokeTrust,
            RuptureRole::Hurt,
        ]
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == role>{r.label()}</option> })
        .collect_view();
        view! {
            <fieldset>
                <legend>{if n == 1 { "First partner" } else { "Second partner" }}</legend>
                <label for=id("name")>"Name"</label>
                <input id=id("name") name=f("name") required maxlength="100" autocomplete="off" value=name />
                <label for=id("email")>"Email"</label>
                <input id=id("email") name=f("email") type="email" required autocomplete="off" value=email
                    readonly=joined aria-describedby=joined.then(|| id("email-help")) />
                {joined.then(|| view! {
                    <p id=id("email-help") class="help">"This partner has joined: their email is how they sign in, so it cannot be changed here."</p>
                })}
                <label for=id("pronouns")>"Pronouns (optional)"</label>
                <input id=id("pronouns") name=f("pronouns") maxlength="40" autocomplete="off" value=pronouns />
                <label for=id("role")>"Role in the rupture"</label>
                <select id=id("role") name=f("role")>{options}</select>
            </fieldset>
        }
    };
    let (case_name, rupture, concerns, notes, mut partners) = match initial {
        Some(d) => (
            d.case_name,
            d.rupture_date.map(|d| d.to_string()).unwrap_or_default(),
            d.presenting_concerns.unwrap_or_default(),
            d.intake_notes.unwrap_or_default(),
            d.partners,
        ),
        None => Default::default(),
    };
    let second = (partners.len() > 1).then(|| partners.remove(1));
    let first = (!partners.is_empty()).then(|| partners.remove(0));
    let today = chrono::Utc::now().date_naive().to_string();
    view! {
        <label for="case_name">"Case name"</label>
        <input id="case_name" name="couple[case_name]" required maxlength="120"
            placeholder="Alex & Sam" autocomplete="off" value=case_name />
        {partner(1, first)}
        {partner(2, second)}
        <label for="rupture_date">"Date of the rupture or disclosure (optional)"</label>
        <input id="rupture_date" name="couple[rupture_date]" type="date" max=today value=rupture />
        <label for="presenting_concerns">"Presenting concerns (optional)"</label>
        <textarea id="presenting_concerns" name="couple[presenting_concerns]" rows="3" maxlength="4000">{textarea_text(concerns)}</textarea>
        <label for="intake_notes">"Intake notes (optional)"</label>
        <textarea id="intake_notes" name="couple[intake_notes]" rows="5" maxlength="20000">{textarea_text(notes)}</textarea>
    }
}

#[component]
pub fn NewCouplePage() -> impl IntoView {
    let action = ServerAction::<CreateCouple>::new();
    view! {
        <SignedIn>
            {move || {
                let counselor = use_context::<CurrentUser>().is_some_and(|u| u.role == Role::Counselor);
                if counselor {
                    Either::Left(view! {
                        <Title text="New couple · Trellis" />
                        <h1>"New couple"</h1>
                        <p class="help">"Each partner gets their own login and answers their homework alone."</p>
                        <ActionForm action=action attr:class="form-stack">
                            <ReturnTo />
                            <ActionError error=error_of(action) />
                            <CoupleFields initial=None />
                            <button type="submit" class="button-primary">"Open the case"</button>
                        </ActionForm>
                    })
                } else {
                    Either::Right(not_found())
                }
            }}
        </SignedIn>
    }
}

/// `/cases/:id/edit`: correcting a case's details (closed cases are read-only).
#[component]
pub fn EditCouplePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || CoupleId::from(params.read().get("id").unwrap_or_default());
    let case = Resource::new_blocking(id, get_couple);
    let action = ServerAction::<UpdateCouple>::new();
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match case.await {
                        Ok(detail) if detail.status == CaseStatus::Closed => EitherOf3::A(view! {
                            <Title text="Case closed · Trellis" />
                            <h1>{detail.case_name.clone()}</h1>
                            <p>"This case is closed and read-only. Reopen it from "
                                <a href=format!("/cases/{}", detail.couple_id)>"its page"</a> " to change its details."</p>
                        }),
                        Ok(detail) => {
                            let couple_id = detail.couple_id.clone();
                            let back = format!("/cases/{couple_id}");
                            EitherOf3::B(view! {
                                <Title text=format!("Edit {} · Trellis", detail.case_name) />
                                <h1>{format!("Edit {}", detail.case_name)}</h1>
                                <ActionForm action=action attr:class="form-stack">
                                    <ReturnTo />
                                    <ActionError error=error_of(action) />
                                    <input type="hidden" name="couple_id" value=couple_id />
                                    <CoupleFields initial=Some(detail) />
                                    <p class="help">"Changing a partner's email withdraws any invitation link already sent to them."</p>
                                    <div class="button-row">
                                        <button type="submit" class="button-primary">"Save changes"</button>
                                        <a class="button button-secondary-link" href=back>"Cancel"</a>
                                    </div>
                                </ActionForm>
                            })
                        }
                        Err(_) => EitherOf3::C(not_found()),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}
