//! The home page, chosen by role.

use crate::auth::{CurrentUser, Role};
use crate::components::{Notice, SignedIn};
use crate::features::admin::ui::AdminHome;
use crate::features::agreements::ui::AgreementsCard;
use crate::features::cases::api::my_couples;
use crate::features::cases::ui::CaseloadView;
use crate::features::homework::api::my_homework;
use crate::features::homework::ui::PartnerHomeworkList;
use crate::features::intake::ui::IntakeCard;
use crate::features::messages::ui::MessagesCard;
use crate::features::program::for_partners::StepCard;
use crate::features::progress::ui::CheckInCard;
use crate::features::sessions::api::my_sessions;
use crate::features::sessions::ui::PartnerSessions;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <SignedIn>
            <RoleHome />
        </SignedIn>
    }
}

#[component]
fn RoleHome() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    match user.role {
        Role::Admin => view! { <AdminHome /> }.into_any(),
        Role::Counselor => view! { <CaseloadView /> }.into_any(),
        Role::Partner => view! { <PartnerHome user=user /> }.into_any(),
    }
}

/// A partner's home: their check-in, agreements and wins for one couple (a person can be a
/// partner in more than one: `?couple=` chooses, the newest open case by default), and their
/// homework and sessions in all of them.
#[component]
fn PartnerHome(user: CurrentUser) -> impl IntoView {
    let query = use_query_map();
    let welcome = move || query.read().get("welcome").is_some();
    let couple = move || query.read().get("couple").unwrap_or_default();
    let data = Resource::new_blocking(couple, |couple| async move {
        // No check-in, agreements or intake without a couple (the page below says so).
        let cards = super::api::my_home_cards(couple.clone()).await.ok();
        let (check_in, agreements, intake, threads) = match cards {
            Some(c) => (Some(c.check_in), Some(c.agreements), c.intake, c.messages),
            None => (None, None, None, vec![]),
        };
        Ok::<_, crate::error::AppError>((
            my_couples().await?,
            my_homework().await?,
            my_sessions().await?,
            check_in,
            crate::features::progress::wins::my_wins(couple.clone())
                .await
                .unwrap_or_default(),
            agreements,
            threads,
            intake,
            // Where the couple is in their program, in words for both partners.
            crate::features::program::api::my_step(couple.clone())
                .await
                .ok()
                .flatten(),
            crate::features::measures::api::my_measures(couple)
                .await
                .unwrap_or_default(),
        ))
    });
    view! {
        <Title text="Home · Trellis" />
        <h1>{format!("Welcome, {}", first_name(&user.display_name))}</h1>
        <Show when=welcome>
            <Notice>"Your account is ready. This is your own space: your partner has their own."</Notice>
        </Show>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((list, _, _, _, _, _, _, _, _, _)) if list.is_empty() => Either::Left(view! {
                        <p class="empty-state">
                            "Your account is not part of a couple's case yet. Your counselor will send you an invitation link."
                        </p>
                    }.into_any()),
                    Ok((list, homework, sessions, check_in, wins, agreements, threads, intake, step, measures)) => {
                        let current = check_in.as_ref().map(|c| c.couple_id.clone()).unwrap_or_default();
                        Either::Left(view! {
                        <CoupleSwitch couples=list.clone() current=current.clone() />
                        {intake.clone().filter(|t| t.sent.is_none()).map(|task| view! { <IntakeCard task=task /> })}
                        <crate::features::measures::ui::DueMeasuresCard due=measures />
                        {check_in.map(|c| view! { <CheckInCard due=c.due is_due=c.is_due couple_id=c.couple_id seen=c.seen /> })}
                        {step.map(|step| view! { <StepCard step=step /> })}
                        {(!threads.is_empty()).then(|| view! { <MessagesCard threads=threads heading="Messages" open_joint=None /> })}
                        {agreements.map(|count| view! { <AgreementsCard count=count /> })}
                        <PartnerHomeworkList homework=homework />
                        {wins.map(|wins| view! { <crate::features::progress::wins::WinsWall wins=wins post=true react=false couple_id=current /> })}
                        <PartnerSessions sessions=sessions />
                        {intake.filter(|t| t.sent.is_some()).map(|task| view! { <IntakeCard task=task /> })}
                        {list.into_iter().map(|c| view! {
                        <section class="card" aria-label="Your counseling">
                            <h2>{c.case_name}</h2>
                            <dl class="facts">
                                <dt>"Counselor"</dt><dd>{c.counselor_name}</dd>
                                <dt>"With"</dt><dd>{c.partner_name}</dd>
                                <dt>"Status"</dt><dd>{c.status.label()}</dd>
                            </dl>
                        </section>
                    }).collect_view()}
                    }.into_any())
                    }
                    Err(err) => Either::Right(view! {
                        <p class="message message-error" role="alert">{err.to_string()}</p>
                    }),
                }
            })}
        </Suspense>
    }
}

/// For a person who is a partner in more than one couple: which couple the check-in,
/// agreements and wins on this page belong to, and links to the others.
#[component]
fn CoupleSwitch(
    couples: Vec<crate::features::cases::PartnerCouple>,
    current: String,
) -> impl IntoView {
    (couples.len() > 1).then(|| {
        let showing = couples
            .iter()
            .find(|c| c.couple_id == current)
            .map(|c| c.case_name.clone())
            .unwrap_or_default();
        view! {
            <nav class="card couple-switch" aria-labelledby="couple-switch-heading">
                <h2 id="couple-switch-heading">"Your counseling cases"</h2>
                <p>{format!("You are a partner in {} cases. Check-ins, agreements and wins below are for {showing}; each case keeps its own.", couples.len())}</p>
                <ul>
                    {couples.into_iter().map(|c| {
                        let here = c.couple_id == current;
                        view! {
                            <li>
                                <a href=format!("/?couple={}", c.couple_id) aria-current=here.then_some("page")>{c.case_name}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
        }
    })
}

fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}
