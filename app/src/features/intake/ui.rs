//! The partner's intake page (draft or send), its card on their home, the counselor's page
//! with both partners' answers, and the line for each partner on the case page.

use super::api::{SaveIntake, case_intake, my_intake};
use super::{
    CoupleIntake, IntakeAnswers, IntakeForm, IntakeStatus, IntakeTask, Kind, MAX_LONG, MAX_SHORT,
    PartnerIntake, Question, SECTIONS, shown,
};
use crate::components::{
    ActionError, Notice, ReturnTo, SignedIn, error_of, load_error, textarea_text,
};
use crate::couple::couple_page;
use crate::ids::CoupleId;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/intake`: the partner answers their intake, saving drafts as they go.
#[component]
pub fn IntakePage() -> impl IntoView {
    let query = use_query_map();
    let couple = move || query.read().get("couple").unwrap_or_default();
    let page = Resource::new_blocking(couple, my_intake);
    view! {
        <SignedIn>
            <Title text="Before your first session · Trellis" />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => Either::Left(view! { <IntakeFormView page=p /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn IntakeFormView(page: IntakeForm) -> impl IntoView {
    let action = ServerAction::<SaveIntake>::new();
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let sent = move || query.read().get("sent").is_some();
    let home = couple_page("/", &page.couple_param);
    let sections = SECTIONS
        .iter()
        .map(|s| {
            let questions = s
                .questions
                .iter()
                .map(|q| question_input(q, &page.answers))
                .collect_view();
            view! {
                <fieldset class="intake-section">
                    <legend>{s.title}</legend>
                    {s.intro.map(|i| view! { <p class="help">{i}</p> })}
                    {questions}
                </fieldset>
            }
        })
        .collect_view();
    let sent_before = page.sent.is_some();
    let form = (!page.closed).then(|| {
        view! {
            <ActionForm action=action attr:class="form-stack intake-form">
                <ReturnTo />
                <ActionError error=error_of(action) />
                <input type="hidden" name="couple_id" value=page.couple_param.clone() />
                {sections}
                {page.draft_saved.clone().map(|at| view! {
                    <p class="help">{format!("Draft saved {at}. Only you can see a draft.")}</p>
                })}
                <div class="button-row">
                    <button type="submit" name="intent" value="draft" class="button-secondary">"Save draft"</button>
                    <button type="submit" name="intent" value="submit" class="button-primary">
                        {if sent_before { "Send the updated answers" } else { "Send to my counselor" }}
                    </button>
                </div>
            </ActionForm>
        }
    });
    view! {
        <p><a href=home>"\u{2190} Home"</a></p>
        <h1>"Before your first session"</h1>
        {page.help.clone().map(|help| view! {
            <p class="message message-info" role="status">"Thank you for telling us. Your answers are marked for your counselor\u{2019}s attention, first on their list. Your partner is not told."</p>
            <crate::features::safety::ui::CrisisPanel help=help heading="Help is here if you need it" />
        })}
        {move || sent().then(|| view! { <Notice>"Sent. Your counselor will read your answers before you meet. You can come back and update them at any time."</Notice> })}
        {move || (saved() && !sent()).then(|| view! { <Notice>"Draft saved."</Notice> })}
        <p class="lead">{format!(
            "{} asks each of you a few questions before you start, so your first session can begin where you are. Only your counselor reads your answers; your partner never sees them, and you never see theirs.",
            page.counselor_name
        )}</p>
        <p>"Answer what you can. You can save a draft and come back. Only the first question under \u{201c}What brings you\u{201d} and the safety questions need an answer before you send."</p>
        {page.sent.clone().map(|on| view! {
            <p class="muted">{format!("You sent your answers on {on}. Sending them again keeps the earlier copy for your counselor.")}</p>
        })}
        {if page.closed {
            Either::Left(view! { <p class="message message-info">"Your counselling case is closed, so the intake can no longer be changed."</p> })
        } else {
            Either::Right(form)
        }}
        <p>"If you or someone else is in danger now, "<a href="/help">"get help now"</a>"."</p>
    }
}

fn question_input(q: &'static Question, answers: &IntakeAnswers) -> impl IntoView + use<> {
    let value = answers.get(q.key).cloned().unwrap_or_default();
    let id = format!("intake-{}", q.key);
    let name = format!("answers[{}]", q.key);
    let help_id = format!("{id}-help");
    let help = q
        .help
        .map(|h| view! { <p id=help_id.clone() class="help">{h}</p> });
    let described = q.help.map(|_| help_id.clone());
    let label = if q.required {
        format!("{} (needed to send)", q.label)
    } else {
        q.label.to_string()
    };
    match q.kind {
        Kind::Short {
            input,
            autocomplete,
        } => EitherOf3::A(view! {
            <label for=id.clone()>{label}</label>
            {help}
            <input id=id type=input name=name value=value autocomplete=autocomplete
                maxlength=MAX_SHORT.to_string() aria-describedby=described />
        }),
        Kind::Long => EitherOf3::B(view! {
            <label for=id.clone()>{label}</label>
            {help}
            <textarea id=id name=name rows="4" maxlength=MAX_LONG.to_string() aria-describedby=described>
                {textarea_text(value)}
            </textarea>
        }),
        Kind::Choice(choices) => EitherOf3::C(view! {
            <fieldset class="choices">
                <legend>{label}</legend>
                {help}
                {choices.iter().map(|c| view! {
                    <label class="choice">
                        <input type="radio" name=name.clone() value=c.value checked=value == c.value />
                        " " {c.label}
                    </label>
                }).collect_view()}
            </fieldset>
        }),
    }
}

/// The intake on a partner's home: asked for until it is sent, then a way back to it.
#[component]
pub fn IntakeCard(task: IntakeTask) -> impl IntoView {
    let href = couple_page(super::PAGE, &task.couple_param);
    match task.sent {
        None => Either::Left(view! {
            <section class="card intake-card" aria-labelledby="intake-card-heading">
                <h2 id="intake-card-heading">"Before your first session"</h2>
                <p>{format!(
                    "{} would like to know a little about you: how to reach you, what brings you, and whether you are safe. Only your counselor reads your answers.",
                    task.counselor_name
                )}</p>
                <p><a class="button button-primary-link" href=href>
                    {if task.started { "Continue your intake" } else { "Answer the intake questions" }}
                </a></p>
            </section>
        }),
        Some(on) => Either::Right(view! {
            <p class="muted intake-sent">
                {format!("You sent your intake on {on}. ")}
                <a href=href>"Read or update your intake answers"</a>
            </p>
        }),
    }
}

/// Each partner's intake on the case page, with the way to read them.
#[component]
pub fn IntakeStatusPanel(couple_id: String, statuses: Vec<IntakeStatus>) -> impl IntoView {
    let any = statuses.iter().any(|s| s.first_sent.is_some());
    view! {
        <section id="intake" aria-labelledby="intake-heading">
            <h2 id="intake-heading">"Intake questionnaires"</h2>
            <ul class="intake-status">
                {statuses.iter().map(|s| view! { <li>{s.sentence()}</li> }).collect_view()}
            </ul>
            {any.then(|| view! {
                <p><a href=format!("/cases/{couple_id}/intake")>"Read the partners\u{2019} intake answers"</a></p>
            })}
        </section>
    }
}

/// `/cases/:id/intake`: both partners' answers, side by side, for their counselor.
#[component]
pub fn CaseIntakePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || CoupleId::from(params.read().get("id").unwrap_or_default());
    let intake = Resource::new_blocking(id, case_intake);
    view! {
        <SignedIn>
            <Title text="Intake · Trellis" />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match intake.await {
                        Ok(i) => Either::Left(view! { <CaseIntakeView intake=i /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn CaseIntakeView(intake: CoupleIntake) -> impl IntoView {
    view! {
        <p><a href=format!("/cases/{}", intake.couple_id)>{format!("\u{2190} {}", intake.case_name)}</a></p>
        <h1>"Intake questionnaires"</h1>
        <p class="muted">"Each partner answered privately; neither sees the other\u{2019}s answers. Worrying safety answers raise a flag on the case page."</p>
        <div class="side-by-side">
            {intake.partners.into_iter().map(|p| view! { <PartnerIntakeView intake=p /> }).collect_view()}
        </div>
    }
}

#[component]
fn PartnerIntakeView(intake: PartnerIntake) -> impl IntoView {
    let sentence = intake.status().sentence();
    let mut copies = intake.copies.into_iter();
    let latest = copies.next();
    let earlier: Vec<_> = copies.collect();
    view! {
        <article class="card intake-answers" aria-label=format!("{}'s intake", intake.partner_name)>
            <h2>{intake.partner_name.clone()}</h2>
            <p class="muted">{sentence}</p>
            {latest.map(|c| view! { <AnswersList answers=c.answers /> })}
            {(!earlier.is_empty()).then(|| view! {
                <details>
                    <summary>{format!("Earlier copies ({})", earlier.len())}</summary>
                    {earlier.into_iter().map(|c| view! {
                        <h3>{format!("Sent on {}", c.sent)}</h3>
                        <AnswersList answers=c.answers />
                    }).collect_view()}
                </details>
            })}
        </article>
    }
}

/// One copy's answers, section by section; a worrying safety answer stands out.
#[component]
fn AnswersList(answers: IntakeAnswers) -> impl IntoView {
    SECTIONS
        .iter()
        .map(|s| {
            let rows = s
                .questions
                .iter()
                .map(|q| {
                    let value = answers.get(q.key).cloned();
                    let concerning = match (q.kind, &value) {
                        (Kind::Choice(choices), Some(v)) => {
                            choices.iter().any(|c| c.value == v && c.concerning)
                        }
                        _ => false,
                    };
                    let dd = match value {
                        Some(v) if concerning => EitherOf3::A(view! {
                            <dd class="intake-concern"><strong>{shown(q, &v)}</strong></dd>
                        }),
                        Some(v) => EitherOf3::B(view! { <dd class="prose">{shown(q, &v)}</dd> }),
                        None => EitherOf3::C(view! { <dd class="muted">"Not answered"</dd> }),
                    };
                    view! { <dt>{q.label}</dt>{dd} }
                })
                .collect_view();
            view! {
                <h3>{s.title}</h3>
                <dl class="answers">{rows}</dl>
            }
        })
        .collect_view()
}
