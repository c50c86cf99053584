//! The program library pages and the program panel of the case page.

use super::api::{MoveCoupleStep, get_program, list_programs};
use super::{CoupleProgress, ProgramView, ResponseField, StepView, TemplateView};
use crate::components::{ActionError, SignedIn, error_of, load_error};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Where the couple is in their program, and the form that moves them.
#[component]
pub fn ProgramPanel(couple_id: String, progress: CoupleProgress, closed: bool) -> impl IntoView {
    let action = ServerAction::<MoveCoupleStep>::new();
    let CoupleProgress {
        program,
        current_step,
        steps,
        moves,
        programs,
    } = progress;
    let body = match program {
        None => Either::Left(view! {
            <p>"Not started on a program yet."</p>
            {(!closed).then(|| view! {
                <ActionForm action=action attr:class="form-stack">
                    <input type="hidden" name="couple_id" value=couple_id.clone() />
                    <input type="hidden" name="to_step" value="1" />
                    <label for="program_id">"Program"</label>
                    <select id="program_id" name="program_id" required>
                        {programs.into_iter().map(|p| view! {
                            <option value=p.program_id>{format!("{} ({} steps)", p.title, p.steps)}</option>
                        }).collect_view()}
                    </select>
                    <label for="start_reason">"Note for the record"</label>
                    <input id="start_reason" name="reason" required maxlength="500" value="Starting the program" />
                    <button type="submit" class="button-primary">"Start at step 1"</button>
                </ActionForm>
            })}
        }),
        Some((program_id, title)) => {
            let total = steps.len();
            let now = current_step.unwrap_or(1);
            let now_title = steps
                .iter()
                .find(|s| s.number == now)
                .map(|s| s.title.clone())
                .unwrap_or_default();
            let next = if (now as usize) < total {
                now + 1
            } else {
                now - 1
            };
            let options = steps
                .iter()
                .filter(|s| s.number != now)
                .map(|s| {
                    view! {
                        <option value=s.number.to_string() selected=s.number == next>
                            {format!("{}. {}", s.number, s.title)}
                        </option>
                    }
                })
                .collect_view();
            Either::Right(view! {
                <p class="step-now">
                    <strong>{format!("Step {now} of {total}: {now_title}")}</strong>
                    " \u{b7} " <a href=format!("/programs/{program_id}#step-{now}")>{title}</a>
                </p>
                <ol class="steps" aria-label="The steps">
                    {steps.into_iter().map(|s| {
                        let class = if s.number == now { "step current" } else if s.number < now { "step done" } else { "step" };
                        view! {
                            <li class=class aria-current=(s.number == now).then_some("step") title=s.title.clone()>
                                <span class="visually-hidden">{s.title.clone()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                {(!closed).then(|| view! {
                    <ActionForm action=action attr:class="form-stack move-step">
                        <ActionError error=error_of(action) />
                        <input type="hidden" name="couple_id" value=couple_id.clone() />
                        <label for="to_step">"Move to step"</label>
                        <select id="to_step" name="to_step">{options}</select>
                        <label for="move_reason">"Reason"</label>
                        <input id="move_reason" name="reason" required maxlength="500"
                            placeholder="For example: disclosures are complete; ready for transparency work" />
                        <button type="submit" class="button-secondary">"Move"</button>
                    </ActionForm>
                })}
            })
        }
    };
    view! {
        <section id="program" aria-labelledby="program-heading" class="program-panel">
            <h2 id="program-heading">"Program"</h2>
            {body}
            {(!moves.is_empty()).then(|| view! {
                <details class="step-history">
                    <summary>{format!("Step history ({})", moves.len())}</summary>
                    <ul>
                        {moves.into_iter().map(|m| view! {
                            <li>
                                <time datetime=m.at.to_rfc3339()>{m.at.format("%Y-%m-%d").to_string()}</time>
                                " \u{2014} "
                                {match m.from_step {
                                    Some(from) => format!("Step {from} \u{2192} {}", m.to_step),
                                    None => format!("Started at step {}", m.to_step),
                                }}
                                ": " {m.reason}
                                <span class="muted">" (" {m.by} ")"</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </section>
    }
}

/// `/programs`: the practice's programs.
#[component]
pub fn ProgramsPage() -> impl IntoView {
    let programs = Resource::new_blocking(|| (), |_| list_programs());
    view! {
        <SignedIn>
            <Title text="Programs · Trellis" />
            <h1>"Programs"</h1>
            <p class="help">"Each couple works through a program step by step. Open one to read its steps and exercises."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match programs.await {
                        Ok(list) => Either::Left(view! {
                            <ul class="program-list">
                                {list.into_iter().map(|p| view! {
                                    <li>
                                        <a href=format!("/programs/{}", p.program_id)>{p.title}</a>
                                        <span class="muted">{format!(" \u{b7} {} steps{}", p.steps, if p.builtin { " \u{b7} built in" } else { "" })}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

/// `/programs/:id`: a program's steps, their purpose and guidance, and their exercises.
#[component]
pub fn ProgramPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let program = Resource::new_blocking(id, get_program);
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match program.await {
                        Ok(p) => Either::Left(view! { <ProgramBody program=p /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn ProgramBody(program: ProgramView) -> impl IntoView {
    view! {
        <Title text=format!("{} · Trellis", program.title) />
        <h1>{program.title}</h1>
        <p class="lead">{program.summary}</p>
        <nav aria-label="Steps" class="step-index">
            <ol>
                {program.steps.iter().map(|s| view! {
                    <li><a href=format!("#step-{}", s.number)>{s.title.clone()}</a></li>
                }).collect_view()}
            </ol>
        </nav>
        {program.steps.into_iter().map(|s| view! { <Step step=s /> }).collect_view()}
    }
}

#[component]
fn Step(step: StepView) -> impl IntoView {
    view! {
        <section id=format!("step-{}", step.number) class="program-step" aria-labelledby=format!("step-{}-title", step.number)>
            <h2 id=format!("step-{}-title", step.number)>{format!("Step {}: {}", step.number, step.title)}</h2>
            <p>{step.purpose}</p>
            <details class="guidance">
                <summary>"Guidance for the counselor"</summary>
                <p>{step.guidance}</p>
            </details>
            <h3>"Exercises"</h3>
            <ul class="templates">
                {step.templates.into_iter().map(|t| view! { <Template template=t /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Template(template: TemplateView) -> impl IntoView {
    view! {
        <li class="template">
            <h4>{template.title}</h4>
            <p class="muted">{format!("{} \u{b7} {}", template.audience.label(), template.cadence.label())}</p>
            <p>{template.instructions}</p>
            <ul class="fields">
                {template.fields.into_iter().map(|f| {
                    let kind = match &f {
                        ResponseField::Text { .. } => "Written answer".to_string(),
                        ResponseField::Rating { low, high, .. } => format!("Rating 0 ({low}) to 10 ({high})"),
                        ResponseField::Checklist { items, .. } => format!("Checklist: {}", items.join("; ")),
                    };
                    view! { <li>{f.label().to_string()} <span class="muted">{format!(" \u{2014} {kind}")}</span></li> }
                }).collect_view()}
            </ul>
        </li>
    }
}
