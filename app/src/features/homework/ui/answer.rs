//! The partner's side: their homework list, what their partner shared, and the page where
//! they answer (draft or submit, choosing who may read it).

use super::super::api::{SaveHomework, get_homework};
use super::super::{
    AnswerValue, Answers, HomeworkPage, HomeworkState, PartnerHomework, Visibility,
};
use super::due_phrase;
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, load_error, textarea_text};
use crate::features::program::ResponseField;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Answers shown read-only, field by field.
#[component]
pub fn AnswersView(fields: Vec<ResponseField>, answers: Answers) -> impl IntoView {
    view! {
        <dl class="answers">
            {fields.into_iter().map(|f| {
                let value = match (answers.get(f.key()), &f) {
                    (Some(AnswerValue::Text(t)), _) => EitherOf3::A(view! { <p class="prose">{t.clone()}</p> }),
                    (Some(AnswerValue::Rating(r)), ResponseField::Rating { low, high, .. }) => EitherOf3::B(view! {
                        <p>{format!("{r} out of 10")} <span class="muted">{format!(" (0 = {low}, 10 = {high})")}</span></p>
                    }),
                    (Some(AnswerValue::Checked(checked)), ResponseField::Checklist { items, .. }) => EitherOf3::C(view! {
                        <ul>{checked.iter().filter_map(|i| items.get(*i)).map(|i| view! { <li>{i.clone()}</li> }).collect_view()}</ul>
                    }),
                    _ => EitherOf3::A(view! { <p class="muted">{"Not answered".to_string()}</p> }),
                };
                view! { <dt>{f.label().to_string()}</dt><dd>{value}</dd> }
            }).collect_view()}
        </dl>
    }
    .into_any()
}

/// The partner's homework list and what their partner shared (partner home).
#[component]
pub fn PartnerHomeworkList(homework: PartnerHomework) -> impl IntoView {
    let list = if homework.items.is_empty() {
        Either::Left(view! {
            <p class="empty-state">"Nothing to do yet. When your counselor sets homework for you, it will appear here."</p>
        })
    } else {
        Either::Right(view! {
            <ul class="homework-list">
                {homework.items.into_iter().map(|i| {
                    let status = match i.state {
                        HomeworkState::NotSubmitted if i.joint && i.has_draft => "Started together".to_string(),
                        HomeworkState::NotSubmitted if i.joint => "To do together".to_string(),
                        HomeworkState::Submitted if i.joint => "Sent to your counselor".to_string(),
                        HomeworkState::NotSubmitted if i.has_draft => "Draft saved".to_string(),
                        HomeworkState::NotSubmitted => "To do".to_string(),
                        HomeworkState::Submitted => "Submitted".to_string(),
                        HomeworkState::Reviewed => "Reviewed by your counselor".to_string(),
                        HomeworkState::Cancelled => "Cancelled".to_string(),
                        HomeworkState::Missed => "Not done in time".to_string(),
                    };
                    view! {
                        <li class=if i.overdue { "homework overdue" } else { "homework" }>
                            <a href=if i.joint { format!("/together/{}", i.assignment_id) } else { format!("/homework/{}", i.assignment_id) }>{i.title}</a>
                            <span class="homework-meta">
                                {i.step_number.map(|n| format!("Step {n} \u{b7} "))}
                                {status} " \u{b7} " {due_phrase(i.due_on, i.overdue)}
                                {crate::features::homework::repeat_phrase(i.repeat_days).map(|r| format!(" \u{b7} {r}"))}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })
    }
    .into_any();
    view! {
        <h2>"Your homework"</h2>
        {list}
        {(!homework.shared.is_empty()).then(|| view! {
            <h2>"Shared with you by your partner"</h2>
            {homework.shared.into_iter().map(|s| view! {
                <article class="card shared-answer">
                    <h3>{s.title}</h3>
                    <p class="muted">{format!("{} shared this on {}", s.partner_name, s.day)}</p>
                    <AnswersView fields=s.fields answers=s.answers />
                </article>
            }).collect_view()}
        }.into_any())}
    }
}

/// `/homework/:id`: the partner answers their own copy.
#[component]
pub fn HomeworkAnswerPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let page = Resource::new_blocking(id, get_homework);
    view! {
        <SignedIn>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => Either::Left(view! { <AnswerForm page=p /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn AnswerForm(page: HomeworkPage) -> impl IntoView {
    let action = ServerAction::<SaveHomework>::new();
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let submitted = move || query.read().get("submitted").is_some();
    let (answers, visibility) = match (&page.draft, &page.latest) {
        (Some((a, v, _)), _) => (a.clone(), *v),
        (None, Some(s)) => (s.answers.clone(), s.visibility),
        (None, None) => (Answers::new(), Visibility::Counselor),
    };
    let draft_note = page
        .draft
        .as_ref()
        .map(|(_, _, at)| format!("Draft saved {at}. Only you can see a draft."));
    let open = !page.cancelled;
    let fields = page
        .fields
        .clone()
        .into_iter()
        .map(|f| field_input(f, &answers))
        .collect_view();
    view! {
        <Title text=format!("{} · Trellis", page.title) />
        <p><a href="/">"\u{2190} Your homework"</a></p>
        <h1>{page.title.clone()}</h1>
        {page.help.clone().map(|help| view! {
            <p class="message message-info" role="status">"What you ticked is now marked for your counselor\u{2019}s attention, first on their list. Your partner is not told."</p>
            <crate::features::safety::ui::CrisisPanel help=help heading="Help is here if you need it" />
        })}
        <p class="muted">{due_phrase(page.due_on, false)}</p>
        {page.missed.then(|| view! {
            <p class="message message-info">"A newer copy of this homework is on your home page. This one stays here, and you can still finish it if you like."</p>
        })}
        <p class="prose instructions">{page.instructions.clone()}</p>
        {page.step.clone().filter(|s| !s.for_partners.trim().is_empty()).map(|step| view! {
            <crate::features::program::for_partners::StepCard step=step homework=true />
        })}
        {move || submitted().then(|| view! { <Notice>"Submitted. Your counselor will read it; you can still edit and submit again."</Notice> })}
        {move || (saved() && !submitted()).then(|| view! { <Notice>"Draft saved."</Notice> })}
        {page.feedback.into_iter().map(|f| view! {
            <aside class="feedback" aria-label="Feedback from your counselor">
                <h2>"From " {f.by}</h2>
                <p class="prose">{f.feedback}</p>
                <p class="muted">{f.day}</p>
            </aside>
        }).collect_view()}
        {page.latest.as_ref().map(|s| view! {
            <p class="muted">{format!(
                "You submitted this on {} ({}). Changing it keeps your earlier version for your counselor.",
                s.when,
                s.visibility.label().to_lowercase()
            )}</p>
        })}
        {if open {
            Either::Left(view! {
                <super::autosave::HomeworkAutosave>
                <ActionForm action=action attr:class="form-stack answer-form"
                    attr:data-version=page.latest.as_ref().map_or(0, |s| s.version).to_string()>
                    <ReturnTo />
                    <ActionError error=error_of(action) />
                    <input type="hidden" name="assignment_id" value=page.assignment_id.clone() />
                    {fields}
                    {if page.counselor_only {
                        Either::Left(view! {
                            <input type="hidden" name="visibility" value="counselor" />
                            <p class="help counselor-only">{crate::features::program::COUNSELOR_ONLY_WHY}</p>
                        })
                    } else {
                        Either::Right(view! {
                            <fieldset class="visibility">
                                <legend>"Who can read this answer?"</legend>
                                <label class="choice">
                                    <input type="radio" name="visibility" value="counselor" checked=visibility == Visibility::Counselor />
                                    " My counselor only"
                                </label>
                                <label class="choice">
                                    <input type="radio" name="visibility" value="shared" checked=visibility == Visibility::Shared />
                                    " My counselor and my partner"
                                </label>
                            </fieldset>
                        })
                    }}
                    {draft_note.map(|n| view! { <p class="help">{n}</p> })}
                    <div class="button-row">
                        <button type="submit" name="intent" value="draft" class="button-secondary">"Save draft"</button>
                        <button type="submit" name="intent" value="submit" class="button-primary">"Submit"</button>
                    </div>
                </ActionForm>
                </super::autosave::HomeworkAutosave>
            })
        } else {
            Either::Right(view! { <p class="message message-info">"Your counselor has cancelled this homework."</p> })
        }}
    }
}

pub(super) fn field_input(field: ResponseField, answers: &Answers) -> impl IntoView + use<> {
    let name = |key: &str| format!("answers[{key}]");
    let id = |key: &str| format!("field-{key}");
    match field {
        ResponseField::Text { key, label, help } => {
            let value = match answers.get(&key) {
                Some(AnswerValue::Text(t)) => t.clone(),
                _ => String::new(),
            };
            EitherOf3::A(view! {
                <label for=id(&key)>{label}</label>
                {help.map(|h| view! { <p class="help">{h}</p> })}
                <textarea id=id(&key) name=name(&key) rows="6">{textarea_text(value)}</textarea>
            })
        }
        ResponseField::Rating {
            key,
            label,
            help,
            low,
            high,
        } => {
            let current = match answers.get(&key) {
                Some(AnswerValue::Rating(r)) => Some(*r),
                _ => None,
            };
            EitherOf3::B(view! {
                <fieldset class="rating">
                    <legend>{label}</legend>
                    {help.map(|h| view! { <p class="help">{h}</p> })}
                    <p class="rating-ends"><span>{format!("0: {low}")}</span><span>{format!("10: {high}")}</span></p>
                    <div class="rating-scale">
                        {(0..=10u8).map(|n| view! {
                            <label class="rating-point">
                                <input type="radio" name=name(&key) value=n.to_string() checked=current == Some(n) />
                                <span>{n.to_string()}</span>
                            </label>
                        }).collect_view()}
                    </div>
                </fieldset>
            })
        }
        ResponseField::Checklist {
            key,
            label,
            help,
            items,
            safety,
        } => {
            // Said before anyone ticks it: a safety item is not only homework.
            let safety_note = (!safety.is_empty()).then(|| {
                let named = safety
                    .iter()
                    .map(|s| format!("\u{201c}{s}\u{201d}"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                format!(
                    "If you tick {named} and submit, it is marked for your counselor\u{2019}s attention straight away, so they can check in with you. Your partner is not told."
                )
            });
            let checked = match answers.get(&key) {
                Some(AnswerValue::Checked(c)) => c.clone(),
                _ => vec![],
            };
            EitherOf3::C(view! {
                <fieldset class="checklist">
                    <legend>{label}</legend>
                    {help.map(|h| view! { <p class="help">{h}</p> })}
                    {safety_note.map(|n| view! { <p class="help safety-note">{n}</p> })}
                    {items.into_iter().enumerate().map(|(i, item)| view! {
                        <label class="choice">
                            <input type="checkbox" name=name(&format!("{key}-{i}")) value="on" checked=checked.contains(&i) />
                            " " {item}
                        </label>
                    }).collect_view()}
                </fieldset>
            })
        }
    }
}
