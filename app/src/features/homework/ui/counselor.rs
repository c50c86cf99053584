//! The counselor's side: a couple's homework board, the assign page and the review page.

use super::super::api::{
    AssignHomework, CancelHomework, CancelJoint, ReviewHomework, assignment_form, get_assignment,
};
use super::super::{
    AssignmentForm, AssignmentReview, ExerciseChoices, HomeworkItem, HomeworkState,
};
use super::answer::AnswersView;
use super::due_phrase;
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, load_error, textarea_text};
use crate::features::homework::repeat_phrase;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The case page's homework section: what is assigned, due, overdue, submitted, reviewed,
/// and where to assign more.
#[component]
pub fn HomeworkBoard(
    couple_id: String,
    items: Vec<HomeworkItem>,
    exercises: Vec<ExerciseChoices>,
    closed: bool,
) -> impl IntoView {
    let cancel = ServerAction::<CancelHomework>::new();
    let cancel_joint = ServerAction::<CancelJoint>::new();
    let query = use_query_map();
    let assigned = move || query.read().get("assigned").is_some();
    let assign = (!closed).then(|| {
        let scratch = format!("/cases/{couple_id}/assign");
        view! {
            <form method="get" action=format!("/cases/{couple_id}/assign") class="assign-pick">
                <label for="template">"Assign an exercise"</label>
                <select id="template" name="template" required>
                    {exercises.into_iter().map(|c| view! {
                        <optgroup label=format!("Step {}: {}", c.step_number, c.step_title)>
                            {c.exercises.into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
                <button type="submit" class="button-secondary">"Continue"</button>
                <a href=scratch>"Or write your own"</a>
            </form>
        }
    });
    let board = if items.is_empty() {
        Either::Left(view! { <p class="empty-state">"No homework assigned yet."</p> })
    } else {
        Either::Right(view! {
            <table class="data-table homework-board">
                <caption>"Both partners' homework, most pressing first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Homework"</th>
                        <th scope="col">"For"</th>
                        <th scope="col">"Due"</th>
                        <th scope="col">"State"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|i| {
                        let open = i.state == HomeworkState::NotSubmitted;
                        let (href, state_label) = if i.joint {
                            let state = if i.has_draft { "Being written" } else { "Not started" };
                            let label = match i.state {
                                HomeworkState::NotSubmitted => state,
                                HomeworkState::Submitted => "Sent to you",
                                other => other.label(),
                            };
                            (format!("/together/{}", i.assignment_id), label)
                        } else {
                            (format!("/assignments/{}", i.assignment_id), i.state.label())
                        };
                        let cancel_label = if i.joint {
                            format!("Cancel {} for both partners", i.title)
                        } else {
                            format!("Cancel {} for {}", i.title, i.partner_name)
                        };
                        let cancel_form = if i.joint {
                            Either::Left(view! {
                                <ActionForm action=cancel_joint attr:class="inline-form">
                                    <ReturnTo />
                                    <input type="hidden" name="joint_id" value=i.assignment_id.clone() />
                                    <button type="submit" class="button-quiet button-small"
                                        aria-label=cancel_label>"Cancel"</button>
                                </ActionForm>
                            })
                        } else {
                            Either::Right(view! {
                                <ActionForm action=cancel attr:class="inline-form">
                                    <ReturnTo />
                                    <input type="hidden" name="assignment_id" value=i.assignment_id.clone() />
                                    <button type="submit" class="button-quiet button-small"
                                        aria-label=cancel_label>"Cancel"</button>
                                </ActionForm>
                            })
                        };
                        view! {
                            <tr class=if i.overdue { "overdue" } else { "" }>
                                <td><a href=href>{i.title.clone()}</a>
                                    {i.step_number.map(|n| view! { <span class="muted">{format!(" \u{b7} step {n}")}</span> })}
                                    {repeat_phrase(i.repeat_days).map(|r| view! { <span class="muted">{format!(" \u{b7} {r}")}</span> })}</td>
                                <td>{i.partner_name.clone()}</td>
                                <td>{due_phrase(i.due_on, i.overdue)}</td>
                                <td><span class=format!("hw-state hw-{:?}", i.state).to_lowercase()>{state_label}</span></td>
                                <td>{open.then_some(cancel_form)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })
    };
    view! {
        <section id="homework" aria-labelledby="homework-heading">
            <h2 id="homework-heading">"Homework"</h2>
            {move || assigned().then(|| view! { <Notice>"Homework sent."</Notice> })}
            <ActionError error=error_of(cancel) />
            <ActionError error=error_of(cancel_joint) />
            {board}
            {assign}
        </section>
    }
}

/// `/cases/:id/assign`: edit the exercise's instructions, choose who it is for and when it
/// is due, and send it.
#[component]
pub fn AssignPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        (
            params.read().get("id").unwrap_or_default(),
            query.read().get("template").unwrap_or_default(),
        )
    };
    let form = Resource::new_blocking(key, |(id, template)| assignment_form(id.into(), template));
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(f) => Either::Left(view! { <AssignForm form=f /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn AssignForm(form: AssignmentForm) -> impl IntoView {
    let action = ServerAction::<AssignHomework>::new();
    let back = crate::couple::CaseSection::Homework.path(&form.couple_id);
    // Role-specific work goes to the partner with that role and nobody else.
    let recipients = if form.joint {
        vec![(
            "both".to_string(),
            "Both partners, together (one shared answer)".to_string(),
        )]
    } else if form.for_role.is_some() {
        form.partners
            .iter()
            .filter(|(p, _)| p.to_string() == form.recipients)
            .map(|(p, name)| (p.to_string(), format!("{name} only")))
            .collect::<Vec<_>>()
    } else {
        let mut options = vec![(
            "both".to_string(),
            "Both partners (each answers their own copy)".to_string(),
        )];
        options.extend(
            form.partners
                .iter()
                .map(|(p, name)| (p.to_string(), format!("{name} only"))),
        );
        options
    };
    let edit = format!("/cases/{}/edit", form.couple_id);
    let chosen = form.recipients.clone();
    let min = chrono::Utc::now().date_naive().to_string();
    let fields = form.fields.clone();
    view! {
        <Title text=format!("Assign homework · {} · Trellis", form.case_name) />
        <p><a href=back.clone()>{format!("\u{2190} {}", form.case_name)}</a></p>
        <h1>"Assign homework"</h1>
        {if form.closed {
            EitherOf3::A(view! { <p>"This case is closed and read-only. Reopen it to assign homework."</p> })
        } else if form.roles_missing {
            EitherOf3::B(view! {
                <p class="message message-info" role="status">
                    {format!(
                        "\u{201c}{}\u{201d} is meant for {} only, and this couple's roles are not set yet, so it cannot go to either partner. ",
                        form.title,
                        form.for_role.clone().unwrap_or_default().to_lowercase()
                    )}
                    <a href=edit.clone()>"Set each partner's role in the case details"</a>
                    ", then send it."
                </p>
            })
        } else {
            EitherOf3::C(view! {
                <ActionForm action=action attr:class="form-stack">
                    <ReturnTo />
                    <ActionError error=error_of(action) />
                    <input type="hidden" name="couple_id" value=form.couple_id.clone() />
                    <input type="hidden" name="template_id" value=form.template_id.clone().unwrap_or_default() />
                    {form.step_number.map(|n| view! { <p class="muted">{format!("From step {n} of the program")}</p> })}
                    <label for="title">"Title"</label>
                    <input id="title" name="title" required maxlength="200" value=form.title.clone() />
                    <label for="instructions">"Instructions"</label>
                    <textarea id="instructions" name="instructions" rows="6" required maxlength="5000">{textarea_text(form.instructions.clone())}</textarea>
                    <p class="help">"Edit the instructions for this couple if you like; the exercise in the library stays as it is."</p>
                    {form.for_role.clone().map(|role| view! {
                        <p class="help">{format!("This exercise is meant for {} only.", role.to_lowercase())}</p>
                    })}
                    {form.joint.then(|| view! {
                        <p class="help">"This exercise is done together: the partners write one shared answer. Either may change it, every version is kept, and each sees the other\u{2019}s changes."</p>
                    })}
                    <label for="recipients">"For"</label>
                    <select id="recipients" name="recipients">
                        {recipients.into_iter().map(|(v, l)| {
                            let selected = v == chosen;
                            view! { <option value=v selected=selected>{l}</option> }
                        }).collect_view()}
                    </select>
                    <label for="due_on">"Due (optional)"</label>
                    <input id="due_on" name="due_on" type="date" min=min />
                    <label for="repeat">"Repeat"</label>
                    <select id="repeat" name="repeat" aria-describedby="repeat-help">
                        {[("once", "Once"), ("weekly", "Every week"), ("daily", "Every day")].into_iter().map(|(v, l)| {
                            let selected = v == form.repeat;
                            view! { <option value=v selected=selected>{l}</option> }
                        }).collect_view()}
                    </select>
                    <p id="repeat-help" class="help">
                        "Repeating homework needs a first due date. After each due date a fresh copy is sent, \
                         due a day or a week later, until the couple moves on from their current step \
                         or you cancel one of the copies."
                    </p>
                    {(!fields.is_empty()).then(|| view! {
                        <p class="help">{format!("Questions: {}", fields.iter().map(|f| f.label().to_string()).collect::<Vec<_>>().join(" / "))}</p>
                    })}
                    <button type="submit" class="button-primary">"Send homework"</button>
                </ActionForm>
            })
        }}
    }
}

/// `/assignments/:id`: the counselor reads a partner's answers (every version) and reviews.
#[component]
pub fn AssignmentPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let data = Resource::new_blocking(id, get_assignment);
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(r) => Either::Left(view! { <Review review=r /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn Review(review: AssignmentReview) -> impl IntoView {
    let action = ServerAction::<ReviewHomework>::new();
    let query = use_query_map();
    let reviewed = move || query.read().get("reviewed").is_some();
    let mut versions = review.submissions.clone().into_iter();
    let latest = versions.next();
    let earlier: Vec<_> = versions.collect();
    let can_review = latest.is_some() && review.state != HomeworkState::Cancelled;
    view! {
        <Title text=format!("{} · {} · Trellis", review.title, review.partner_name) />
        <p><a href=crate::couple::CaseSection::Homework.path_then(&review.couple_id, "#homework")>{format!("\u{2190} {}", review.case_name)}</a></p>
        <h1>{review.title.clone()}</h1>
        <p class="muted">{format!("For {} \u{b7} {} \u{b7} {}", review.partner_name, due_phrase(review.due_on, false), review.state.label())}</p>
        {move || reviewed().then(|| view! { <Notice>"Marked reviewed."</Notice> })}
        <details class="guidance"><summary>"Instructions sent"</summary><p class="prose">{review.instructions.clone()}</p></details>
        {match latest {
            None => Either::Left(view! { <p class="empty-state">"Nothing submitted yet. Drafts stay private to the partner until they submit."</p> }),
            Some(s) => Either::Right(view! {
                <h2>{format!("Submitted {} (version {})", s.when, s.version)}</h2>
                <p class="muted">{format!("Visible to: {}", s.visibility.label().replace("My ", "their "))}</p>
                <AnswersView fields=review.fields.clone() answers=s.answers />
            }),
        }}
        {(!earlier.is_empty()).then(|| view! {
            <details class="revisions">
                <summary>{format!("Earlier versions ({})", earlier.len())}</summary>
                {earlier.into_iter().map(|s| view! {
                    <h3>{format!("Version {} \u{b7} {}", s.version, s.when)}</h3>
                    <AnswersView fields=review.fields.clone() answers=s.answers />
                }).collect_view()}
            </details>
        })}
        {(!review.feedback.is_empty()).then(|| view! {
            <h2>"Your feedback"</h2>
            {review.feedback.into_iter().map(|f| view! {
                <aside class="feedback"><p class="prose">{f.feedback}</p>
                <p class="muted">{format!("{} \u{b7} {} \u{b7} on version {}", f.by, f.day, f.version)}</p></aside>
            }).collect_view()}
        })}
        {can_review.then(|| view! {
            <ActionForm action=action attr:class="form-stack">
                <ReturnTo />
                <ActionError error=error_of(action) />
                <input type="hidden" name="assignment_id" value=review.assignment_id.clone() />
                <label for="feedback">"Feedback for " {review.partner_name.clone()} " (only they will see it)"</label>
                <textarea id="feedback" name="feedback" rows="4" maxlength="10000"></textarea>
                <button type="submit" class="button-primary">"Mark reviewed"</button>
            </ActionForm>
        })}
    }
}

/// `/reviews`: everything awaiting the counselor's review, oldest first.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let queue = Resource::new_blocking(|| (), |_| super::super::api::review_queue());
    view! {
        <SignedIn>
            <Title text="To review · Trellis" />
            <h1>"To review"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(items) if items.is_empty() => Either::Left(view! {
                            <p class="empty-state">"Nothing is waiting for your review."</p>
                        }.into_any()),
                        Ok(items) => Either::Left(view! {
                            <table class="data-table">
                                <caption>{format!("{} awaiting review, oldest first", items.len())}</caption>
                                <thead><tr>
                                    <th scope="col">"Submitted"</th>
                                    <th scope="col">"Homework"</th>
                                    <th scope="col">"Partner"</th>
                                    <th scope="col">"Couple"</th>
                                </tr></thead>
                                <tbody>
                                    {items.into_iter().map(|i| view! {
                                        <tr>
                                            <td>{i.submitted_at.format("%-d %b %Y %H:%M").to_string()}</td>
                                            <td><a href=format!("/assignments/{}", i.assignment_id)>{i.title}</a>
                                                {(i.version > 1).then(|| view! { <span class="muted">{format!(" (version {})", i.version)}</span> })}</td>
                                            <td>{i.partner_name}</td>
                                            <td>{i.case_name}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}
