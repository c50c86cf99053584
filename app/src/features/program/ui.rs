//! The program library pages and the program panel of the case page.

use super::api::{
    DuplicateProgram, MoveCoupleStep, SaveTemplate, get_program, get_template_edit, list_programs,
};
use super::{
    Audience, Cadence, CoupleProgress, ProgramView, ResponseField, StepView, TemplateEdit,
    TemplateView,
};
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, load_error, textarea_text};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

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
                    <ReturnTo />
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
                        <ReturnTo />
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
    let duplicate = ServerAction::<DuplicateProgram>::new();
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let editable = !program.builtin;
    let program_id = program.program_id.clone();
    view! {
        <Title text=format!("{} · Trellis", program.title) />
        <h1>{program.title.clone()}</h1>
        <p class="lead">{program.summary}</p>
        {move || saved().then(|| view! { <Notice>"Exercise saved. Homework already sent keeps the wording it was sent with."</Notice> })}
        {program.builtin.then(|| view! {
            <details class="duplicate">
                <summary>"Adapt this program for your practice"</summary>
                <p class="help">"The built-in program stays as shipped. A copy can have its exercises edited and new ones added; couples already on this program stay on it."</p>
                <ActionForm action=duplicate attr:class="form-stack">
                    <ReturnTo />
                    <ActionError error=error_of(duplicate) />
                    <input type="hidden" name="program_id" value=program.program_id.clone() />
                    <label for="copy_title">"Name of the copy"</label>
                    <input id="copy_title" name="title" required maxlength="120"
                        value=format!("{} (our practice)", program.title) />
                    <button type="submit" class="button-secondary">"Duplicate the program"</button>
                </ActionForm>
            </details>
        })}
        <nav aria-label="Steps" class="step-index">
            <ol>
                {program.steps.iter().map(|s| view! {
                    <li><a href=format!("#step-{}", s.number)>{s.title.clone()}</a></li>
                }).collect_view()}
            </ol>
        </nav>
        {program.steps.into_iter().map(|s| view! { <Step step=s editable=editable program_id=program_id.clone() /> }).collect_view()}
    }
}

#[component]
fn Step(step: StepView, editable: bool, program_id: String) -> impl IntoView {
    let add = editable.then(|| {
        view! {
            <p><a class="button button-secondary-link" href=format!("/programs/{program_id}/steps/{}/new", step.number)>
                {format!("Add an exercise to step {}", step.number)}
            </a></p>
        }
    });
    view! {
        <section id=format!("step-{}", step.number) class="program-step" aria-labelledby=format!("step-{}-title", step.number)>
            <h2 id=format!("step-{}-title", step.number)>{format!("Step {}: {}", step.number, step.title)}</h2>
            <p>{step.purpose}</p>
            {(!step.for_partners.is_empty()).then(|| view! {
                <div class="for-partners">
                    <h3>"What partners read about this step"</h3>
                    <p>{step.for_partners}</p>
                    <p class="help">"Shown to both partners on their home page while they are at this step, and on homework sent for it."</p>
                </div>
            })}
            <details class="guidance">
                <summary>"Guidance for the counselor"</summary>
                <p>{step.guidance}</p>
            </details>
            <h3>"Exercises"</h3>
            <ul class="templates">
                {step.templates.into_iter().map(|t| view! { <Template template=t editable=editable /> }).collect_view()}
            </ul>
            {add}
        </section>
    }
}

#[component]
fn Template(template: TemplateView, editable: bool) -> impl IntoView {
    let edit = editable.then(|| {
        view! {
            <a href=format!("/templates/{}/edit", template.template_id) class="edit-link"
                aria-label=format!("Edit {}", template.title)>"Edit"</a>
        }
    });
    view! {
        <li class="template">
            <h4>{template.title.clone()} {edit} <span class="muted version">{format!(" v{}", template.version)}</span></h4>
            <p class="muted">{format!(
                "{} \u{b7} {}{}{}",
                template.audience.label(),
                template.cadence.label(),
                if template.counselor_only { " \u{b7} Counselor only: partners cannot share their answer" } else { "" },
                if template.joint { " \u{b7} Together: one shared answer" } else { "" }
            )}</p>
            <p>{template.instructions}</p>
            <ul class="fields">
                {template.fields.into_iter().map(|f| {
                    let kind = match &f {
                        ResponseField::Text { .. } => "Written answer".to_string(),
                        ResponseField::Rating { low, high, .. } => format!("Rating 0 ({low}) to 10 ({high})"),
                        ResponseField::Checklist { items, safety, .. } => format!(
                            "Checklist: {}",
                            items
                                .iter()
                                .map(|i| if safety.contains(i) { format!("{i} (safety item)") } else { i.clone() })
                                .collect::<Vec<_>>()
                                .join("; ")
                        ),
                    };
                    view! { <li>{f.label().to_string()} <span class="muted">{format!(" \u{2014} {kind}")}</span></li> }
                }).collect_view()}
            </ul>
        </li>
    }
}

/// `/templates/:id/edit` and `/programs/:id/steps/:step/new`: write or edit an exercise.
#[component]
pub fn TemplateEditPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("template").unwrap_or_default(),
            p.get("id").unwrap_or_default(),
            p.get("step")
                .and_then(|s| s.parse::<i64>().ok())
                .unwrap_or(0),
        )
    };
    let data = Resource::new_blocking(key, |(t, p, s)| get_template_edit(t, p, s));
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(edit) => Either::Left(view! { <TemplateForm edit=edit /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn TemplateForm(edit: TemplateEdit) -> impl IntoView {
    let action = ServerAction::<SaveTemplate>::new();
    let heading = if edit.template_id.is_some() {
        format!("Edit \u{201c}{}\u{201d}", edit.title)
    } else {
        format!("New exercise for step {}", edit.step_number)
    };
    let audiences = [Audience::Both, Audience::BrokeTrust, Audience::Hurt]
        .into_iter()
        .map(
            |a| view! { <option value=a.as_str() selected=a == edit.audience>{a.label()}</option> },
        )
        .collect_view();
    let cadences = [Cadence::Once, Cadence::Daily, Cadence::Weekly]
        .into_iter()
        .map(|c| view! { <option value=c.as_str() selected=c == edit.cadence>{c.label()}</option> })
        .collect_view();
    view! {
        <Title text=format!("{heading} · Trellis") />
        <p><a href=format!("/programs/{}#step-{}", edit.program_id, edit.step_number)>
            {format!("\u{2190} {} \u{b7} step {}: {}", edit.program_title, edit.step_number, edit.step_title)}
        </a></p>
        <h1>{heading}</h1>
        {(edit.version > 0).then(|| view! {
            <p class="help">{format!("Saving makes version {}. Homework already sent keeps the version it was sent with.", edit.version + 1)}</p>
        })}
        <ActionForm action=action attr:class="form-stack">
            <ReturnTo />
            <ActionError error=error_of(action) />
            <input type="hidden" name="template_id" value=edit.template_id.clone().unwrap_or_default() />
            <input type="hidden" name="program_id" value=edit.program_id.clone() />
            <input type="hidden" name="step" value=edit.step_number.to_string() />
            <label for="title">"Title"</label>
            <input id="title" name="exercise[title]" required maxlength="200" value=edit.title.clone() />
            <label for="instructions">"Instructions"</label>
            <textarea id="instructions" name="exercise[instructions]" rows="5" required maxlength="5000">{textarea_text(edit.instructions.clone())}</textarea>
            <label for="audience">"For"</label>
            <select id="audience" name="exercise[audience]">{audiences}</select>
            <label for="cadence">"How often"</label>
            <select id="cadence" name="exercise[cadence]">{cadences}</select>
            <label class="choice">
                <input type="checkbox" name="exercise[counselor_only]" value="on" checked=edit.counselor_only aria-describedby="counselor-only-help" />
                " Counselor only"
            </label>
            <label class="choice">
                <input type="checkbox" name="exercise[joint]" value="on" checked=edit.joint aria-describedby="joint-help" />
                " Done together"
            </label>
            <p id="joint-help" class="help">"The partners write one shared answer between them: either may change it, every version is kept, and each sees the other\u{2019}s changes. A counselor-only exercise cannot also be done together."</p>
            <p id="counselor-only-help" class="help">"For words a partner should bring to their partner in a session rather than on a screen (an account letter, what is still unsaid): partners answering it have no \u{201c}share with my partner\u{201d} choice, and the page tells them why."</p>
            <label for="questions">"Questions, one per line"</label>
            <textarea id="questions" name="exercise[questions]" rows="8" required aria-describedby="questions-help">{textarea_text(edit.lines.clone())}</textarea>
            <p id="questions-help" class="help">
                "Start each line with its kind: " <code>"text: A question to answer in words"</code> ", "
                <code>"rating: A question | what 0 means | what 10 means"</code> " or "
                <code>"checklist: A heading | first item | second item"</code> ". "
                "Put " <code>"!"</code> " before a checklist item that should raise a safety flag when a partner ticks it, as "
                <code>"!Feeling unsafe"</code> " does in step 7; the partner is told their counselor will hear of it straight away."
            </p>
            <button type="submit" class="button-primary">"Save the exercise"</button>
        </ActionForm>
    }
}
