//! The case page's treatment goals panel.

use crate::components::ReturnTo;
use crate::components::{ActionError, error_of};
use crate::features::notes::api::{AddGoal, SetGoalStatus};
use crate::features::notes::{GoalStatus, GoalView};
use leptos::either::Either;
use leptos::prelude::*;

/// On the case page: the couple's treatment goals.
#[component]
pub fn GoalsPanel(couple_id: String, goals: Vec<GoalView>, closed: bool) -> impl IntoView {
    let add = ServerAction::<AddGoal>::new();
    let set = ServerAction::<SetGoalStatus>::new();
    view! {
        <section id="goals" aria-labelledby="goals-heading">
            <h2 id="goals-heading">"Treatment goals"</h2>
            <ActionError error=error_of(set) />
            {if goals.is_empty() {
                Either::Left(view! { <p class="empty-state">"No goals yet."</p> })
            } else {
                Either::Right(view! {
                    <ul class="goals">
                        {goals.into_iter().map(|g| {
                            let id = g.goal_id.clone();
                            let select_id = format!("goal-status-{id}");
                            view! {
                                <li>
                                    <strong>{g.title.clone()}</strong>
                                    <span class=format!("status status-{}", g.status.as_str())>{g.status.label()}</span>
                                    <p>{g.objective.clone()}</p>
                                    {g.target_date.map(|d| view! { <p class="muted">{format!("Target: {}", d.format("%-d %B %Y"))}</p> })}
                                    {(!closed).then(|| view! {
                                        <ActionForm action=set attr:class="inline-form">
                                            <ReturnTo />
                                            <input type="hidden" name="goal_id" value=id.clone() />
                                            <label for=select_id.clone()>{format!("Status of \u{201c}{}\u{201d}", g.title)}</label>
                                            <select id=select_id name="status">
                                                {GoalStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=s == g.status>{s.label()}</option> }).collect_view()}
                                            </select>
                                            <button type="submit" class="button-secondary button-small">"Update"</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
            {(!closed).then(|| view! {
                <details class="card">
                    <summary>"Add a goal"</summary>
                    <ActionForm action=add attr:class="form-stack">
                        <ReturnTo />
                        <ActionError error=error_of(add) />
                        <input type="hidden" name="couple_id" value=couple_id.clone() />
                        <label for="goal-title">"Goal"</label>
                        <input id="goal-title" name="title" required maxlength="200" />
                        <label for="goal-objective">"Measurable objective"</label>
                        <input id="goal-objective" name="objective" required maxlength="1000" placeholder="e.g. weekly check-in done four weeks running" />
                        <label for="goal-target">"Target date (optional)"</label>
                        <input id="goal-target" name="target_date" type="date" />
                        <button type="submit" class="button-primary">"Add the goal"</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
    .into_any()
}
