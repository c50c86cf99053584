//! What a step is for, as partners read it: a small card on their home (their couple's
//! current step) and on homework sent for a step.

use super::PartnerStep;
use leptos::prelude::*;

/// "Step 3 of 10: Be consistently transparent" and the step's words for partners.
#[component]
pub fn StepCard(step: PartnerStep, #[prop(optional)] homework: bool) -> impl IntoView {
    let heading = if homework {
        format!("Part of step {}: {}", step.number, step.title)
    } else {
        format!("Step {} of {}: {}", step.number, step.of, step.title)
    };
    let text = (!step.for_partners.trim().is_empty()).then(|| view! { <p>{step.for_partners}</p> });
    view! {
        <section class="card step-card" aria-labelledby="step-card-heading">
            <h2 id="step-card-heading">{heading}</h2>
            {text}
        </section>
    }
}
