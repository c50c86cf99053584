//! Agreement pages: the counselor's section on the case page, the partner's `/agreements`
//! page, and the card on the partner's home.

use super::api::{
    AcknowledgeAgreement, DecideAgreement, EndAgreement, ProposeAgreement, WriteAgreement,
    my_agreements,
};
use super::chart::FollowChart;
use super::{
    AgreementView, AgreementsPanel, MAX_AGREEMENT_CHARS, MyAgreementsPage, PastVersion, Proposal,
    ProposalState,
};
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, load_error, textarea_text};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Earlier wordings, folded away.
#[component]
fn Earlier(previous: Vec<PastVersion>) -> impl IntoView {
    (!previous.is_empty()).then(|| {
        view! {
            <details>
                <summary>{format!("Earlier wording{} ({})", if previous.len() == 1 { "" } else { "s" }, previous.len())}</summary>
                <ol class="agreement-history">
                    {previous.into_iter().map(|p| view! {
                        <li>
                            <p class="muted">{format!("Version {} \u{b7} from {}", p.version, p.since)}</p>
                            <p class="prose">{p.body}</p>
                        </li>
                    }).collect_view()}
                </ol>
            </details>
        }
    })
}

fn ack_line(name: &str, ack: &Option<String>) -> String {
    match ack {
        Some(when) => format!("{name} acknowledged this wording on {when}."),
        None => format!("{name} has not acknowledged this wording yet."),
    }
}

/// The counselor's section on the case page.
#[component]
pub fn AgreementsSection(couple_id: String, panel: AgreementsPanel, closed: bool) -> impl IntoView {
    let write = ServerAction::<WriteAgreement>::new();
    let decide = ServerAction::<DecideAgreement>::new();
    let end = ServerAction::<EndAgreement>::new();
    let query = use_query_map();
    let done = move || {
        query
            .read()
            .get("agreement")
            .and_then(|v| match v.as_str() {
                "saved" => Some("Agreement saved. Both partners are asked to acknowledge it."),
                "decided" => Some("Proposal decided."),
                "ended" => Some("Agreement ended. Check-ins no longer ask about it."),
                _ => None,
            })
    };
    let names = panel.partner_names.clone();
    let proposals = panel.proposals;
    let ended = panel.ended;
    view! {
        <section id="agreements" aria-labelledby="agreements-heading">
            <h2 id="agreements-heading">"Agreements"</h2>
            {move || done().map(|m| view! { <Notice>{m}</Notice> })}
            <ActionError error=error_of(write) />
            <ActionError error=error_of(decide) />
            <ActionError error=error_of(end) />
            {(!proposals.is_empty()).then(|| view! {
                <h3>"Proposals waiting for you"</h3>
                <ul class="proposals">
                    {proposals.into_iter().map(|p| view! { <ProposalToDecide p=p decide=decide closed=closed /> }).collect_view()}
                </ul>
            })}
            {if panel.active.is_empty() {
                Either::Left(view! { <p class="empty-state">"No agreements yet. Agreements are promises the couple make to each other, such as a weekly time to talk."</p> })
            } else {
                Either::Right(view! {
                    <ul class="agreements">
                        {panel.active.into_iter().map(|a| {
                            let names = names.clone();
                            view! { <CounselorAgreement couple_id=couple_id.clone() a=a names=names write=write end=end closed=closed /> }
                        }).collect_view()}
                    </ul>
                })
            }}
            {(!closed).then(move || view! {
                <ActionForm action=write attr:class="form-stack">
                    <ReturnTo />
                    <input type="hidden" name="couple_id" value=couple_id.clone() />
                    <label for="new-agreement">"New agreement (both partners are asked to acknowledge it)"</label>
                    <textarea id="new-agreement" name="body" rows="2" required maxlength=MAX_AGREEMENT_CHARS.to_string()
                        placeholder="For example: we sit down together every Sunday evening for twenty minutes, phones away."></textarea>
                    <button type="submit" class="button-secondary">"Add the agreement"</button>
                </ActionForm>
            })}
            {(!ended.is_empty()).then(|| view! {
                <details>
                    <summary>{format!("Ended agreements ({})", ended.len())}</summary>
                    <ul class="agreements">
                        {ended.into_iter().map(|a| view! {
                            <li class="card">
                                <p class="prose">{a.body}</p>
                                <p class="muted">{format!("Version {} \u{b7} ended {}", a.version, a.ended.unwrap_or_default())}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn ProposalToDecide(
    p: Proposal,
    decide: ServerAction<DecideAgreement>,
    closed: bool,
) -> impl IntoView {
    let field = format!("decline-{}", p.version_id);
    let (id, id2) = (p.version_id.clone(), p.version_id.clone());
    view! {
        <li class="card proposal">
            <p class="muted">{format!(
                "{} proposes {} \u{b7} {}",
                p.by,
                if p.replaces.is_some() { "a new wording" } else { "a new agreement" },
                p.when
            )}</p>
            {p.replaces.map(|now| view! { <p class="muted">"Now: " <span class="prose">{now}</span></p> })}
            <p class="prose agreement-body">{p.body}</p>
            {(!closed).then(move || view! {
                <div class="button-row">
                    <ActionForm action=decide attr:class="inline-form">
                        <ReturnTo />
                        <input type="hidden" name="version_id" value=id.clone() />
                        <input type="hidden" name="decision" value="approve" />
                        <button type="submit" class="button-primary button-small">"Approve the proposal"</button>
                    </ActionForm>
                </div>
                <ActionForm action=decide attr:class="form-stack">
                    <ReturnTo />
                    <input type="hidden" name="version_id" value=id2 />
                    <input type="hidden" name="decision" value="decline" />
                    <label for=field.clone()>{format!("Reason for declining (optional; {} reads it)", p.by)}</label>
                    <textarea id=field name="reason" rows="2" maxlength="500"></textarea>
                    <button type="submit" class="button-secondary button-small">"Decline the proposal"</button>
                </ActionForm>
            })}
        </li>
    }
}

#[component]
fn CounselorAgreement(
    couple_id: String,
    a: AgreementView,
    names: [String; 2],
    write: ServerAction<WriteAgreement>,
    end: ServerAction<EndAgreement>,
    closed: bool,
) -> impl IntoView {
    let reword = format!("reword-{}", a.agreement_id);
    let chart_id = format!("follow-{}", a.agreement_id);
    let (to_reword, to_end) = (a.agreement_id.clone(), a.agreement_id.clone());
    let body = a.body.clone();
    let acks = [
        ack_line(&names[0], &a.acks[0]),
        ack_line(&names[1], &a.acks[1]),
    ];
    view! {
        <li class="card agreement">
            <p class="prose agreement-body">{a.body.clone()}</p>
            <p class="muted">{format!("Version {} \u{b7} since {}", a.version, a.since)}</p>
            <ul class="acks">
                {acks.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
            </ul>
            {if a.follow.is_empty() {
                Either::Left(view! { <p class="help">"No check-in has said how it was kept yet."</p> })
            } else {
                Either::Right(view! { <FollowChart weeks=a.follow names=names id=chart_id /> })
            }}
            <Earlier previous=a.previous />
            {(!closed).then(move || view! {
                <details>
                    <summary>"Reword it"</summary>
                    <ActionForm action=write attr:class="form-stack">
                        <ReturnTo />
                        <input type="hidden" name="couple_id" value=couple_id.clone() />
                        <input type="hidden" name="agreement_id" value=to_reword />
                        <label for=reword.clone()>"New wording (both partners acknowledge it again)"</label>
                        <textarea id=reword name="body" rows="2" required maxlength=MAX_AGREEMENT_CHARS.to_string()>{textarea_text(body)}</textarea>
                        <button type="submit" class="button-secondary button-small">"Save the new wording"</button>
                    </ActionForm>
                </details>
                <ActionForm action=end attr:class="inline-form">
                    <ReturnTo />
                    <input type="hidden" name="agreement_id" value=to_end />
                    <button type="submit" class="button-secondary button-small">"End this agreement"</button>
                </ActionForm>
            })}
        </li>
    }
}

/// `/agreements`: the partner reads, acknowledges and proposes agreements.
#[component]
pub fn AgreementsPage() -> impl IntoView {
    let query = use_query_map();
    let couple = move || query.read().get("couple").unwrap_or_default();
    let page = Resource::new_blocking(couple, my_agreements);
    view! {
        <SignedIn>
            <Title text="Agreements · Trellis" />
            <h1>"Agreements"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => Either::Left(view! { <PartnerAgreements page=p /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn PartnerAgreements(page: MyAgreementsPage) -> impl IntoView {
    let ack = ServerAction::<AcknowledgeAgreement>::new();
    let propose = ServerAction::<ProposeAgreement>::new();
    let query = use_query_map();
    let done = move || {
        let q = query.read();
        if q.get("acknowledged").is_some() {
            Some("Thank you. Your acknowledgement is saved.")
        } else if q.get("proposed").is_some() {
            Some(
                "Your proposal is with your counselor. Your partner sees it once your counselor approves it.",
            )
        } else {
            None
        }
    };
    let me = (page.position - 1) as usize;
    let other = 1 - me;
    let other_name = page.partner_names[other].clone();
    let closed = page.closed;
    let couple_id = page.couple_id.clone();
    view! {
        {move || done().map(|m| view! { <Notice>{m}</Notice> })}
        <p class="help">"Agreements are promises you and your partner make to each other with your counselor's help. Each check-in asks how you kept them; your answers go to your counselor only."</p>
        <ActionError error=error_of(ack) />
        <ActionError error=error_of(propose) />
        {if page.active.is_empty() {
            Either::Left(view! { <p class="empty-state">"No agreements yet."</p> })
        } else {
            Either::Right(view! {
                <ul class="agreements">
                    {page.active.into_iter().map(|a| {
                        let field = format!("change-{}", a.agreement_id);
                        let mine = a.acks[me].clone();
                        let theirs = ack_line(&other_name, &a.acks[other]);
                        let couple_id = couple_id.clone();
                        view! {
                            <li class="card agreement">
                                <p class="prose agreement-body">{a.body.clone()}</p>
                                <p class="muted">{format!("Version {} \u{b7} since {}", a.version, a.since)}</p>
                                {match mine {
                                    Some(when) => Either::Left(view! { <p>{format!("You acknowledged this wording on {when}.")}</p> }),
                                    None => Either::Right(view! {
                                        <p class="message message-info">{if a.version > 1 { "This agreement was reworded. Please read it and acknowledge the new wording." } else { "Please read this agreement and acknowledge it." }}</p>
                                        {(!closed).then(move || view! {
                                            <ActionForm action=ack attr:class="inline-form">
                                                <ReturnTo />
                                                <input type="hidden" name="version_id" value=a.version_id.clone() />
                                                <button type="submit" class="button-primary button-small">"I acknowledge this agreement"</button>
                                            </ActionForm>
                                        })}
                                    }),
                                }}
                                <p class="muted">{theirs}</p>
                                <Earlier previous=a.previous />
                                {(!closed).then(move || view! {
                                    <details>
                                        <summary>"Suggest a change"</summary>
                                        <ActionForm action=propose attr:class="form-stack">
                                            <ReturnTo />
                                            <input type="hidden" name="couple_id" value=couple_id.clone() />
                                            <input type="hidden" name="agreement_id" value=a.agreement_id.clone() />
                                            <label for=field.clone()>"Your suggested wording (your counselor reads it first)"</label>
                                            <textarea id=field name="body" rows="2" required maxlength=MAX_AGREEMENT_CHARS.to_string()>{textarea_text(a.body.clone())}</textarea>
                                            <button type="submit" class="button-secondary button-small">"Send the suggestion"</button>
                                        </ActionForm>
                                    </details>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })
        }}
        <h2 id="proposals">"Your proposals"</h2>
        {if page.proposals.is_empty() {
            Either::Left(view! { <p class="empty-state">"You have no proposals waiting."</p> })
        } else {
            Either::Right(view! {
                <ul class="proposals">
                    {page.proposals.into_iter().map(|p| view! {
                        <li class="card proposal">
                            {p.replaces.map(|now| view! { <p class="muted">"A new wording for: " <span class="prose">{now}</span></p> })}
                            <p class="prose">{p.body}</p>
                            <p class="muted">{match p.state {
                                ProposalState::Waiting => format!("Sent {} \u{b7} waiting for your counselor", p.when),
                                ProposalState::Declined(reason) if reason.is_empty() => format!("Sent {} \u{b7} your counselor did not take it up", p.when),
                                ProposalState::Declined(reason) => format!("Sent {} \u{b7} your counselor did not take it up: {reason}", p.when),
                            }}</p>
                        </li>
                    }).collect_view()}
                </ul>
            })
        }}
        {(!closed).then(move || view! {
            <ActionForm action=propose attr:class="form-stack">
                <ReturnTo />
                <input type="hidden" name="couple_id" value=page.couple_id.clone() />
                <label for="propose-body">"Propose an agreement (your counselor reads it first; your partner sees it once it is approved)"</label>
                <textarea id="propose-body" name="body" rows="2" required maxlength=MAX_AGREEMENT_CHARS.to_string()></textarea>
                <button type="submit" class="button-secondary">"Send the proposal"</button>
            </ActionForm>
        })}
        {(!page.ended.is_empty()).then(|| view! {
            <details>
                <summary>{format!("Ended agreements ({})", page.ended.len())}</summary>
                <ul class="agreements">
                    {page.ended.into_iter().map(|a| view! {
                        <li class="card"><p class="prose">{a.body}</p><p class="muted">{format!("Ended {}", a.ended.unwrap_or_default())}</p></li>
                    }).collect_view()}
                </ul>
            </details>
        })}
    }
    .into_any()
}

/// On the partner's home: agreements waiting for their acknowledgement.
#[component]
pub fn AgreementsCard(count: super::AgreementsCount) -> impl IntoView {
    let (waiting, total) = (count.waiting_for_me, count.active);
    let class = if waiting > 0 { "card due" } else { "card" };
    (total > 0).then(|| {
        view! {
            <section class=class aria-labelledby="agreements-card-heading">
                <h2 id="agreements-card-heading">"Agreements"</h2>
                <p>{match waiting {
                    0 if total == 1 => "You have acknowledged your agreement.".to_string(),
                    0 => format!("You have acknowledged all {total} of your agreements."),
                    1 => "1 agreement is waiting for your acknowledgement.".to_string(),
                    n => format!("{n} agreements are waiting for your acknowledgement."),
                }}</p>
                <a class="button button-secondary-link" href=crate::couple::couple_page("/agreements", &count.couple_id)>"Read your agreements"</a>
            </section>
        }
    })
}
