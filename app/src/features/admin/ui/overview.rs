//! `/admin/overview`: the practice in numbers.

use crate::components::{SignedIn, load_error};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/overview`: the practice in numbers.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| crate::features::admin::api::practice_overview());
    view! {
        <SignedIn>
            <Title text="Practice overview · Trellis" />
            <h1>"Practice overview"</h1>
            <p class="help">"Counts only: nothing here names a couple or shows what anyone wrote."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(o) => {
                            let rate = if o.homework_due > 0 {
                                format!("{}% ({} of {})", o.homework_overdue * 100 / o.homework_due, o.homework_overdue, o.homework_due)
                            } else {
                                "\u{2014}".to_string()
                            };
                            Either::Left(view! {
                                <dl class="facts">
                                    {o.couples.into_iter().map(|(label, n)| view! { <dt>{format!("Couples: {label}")}</dt><dd>{n}</dd> }).collect_view()}
                                    <dt>"Active counselors"</dt><dd>{o.counselors}</dd>
                                    <dt>"Active partners"</dt><dd>{o.partners}</dd>
                                    <dt>"Open homework past its due date"</dt><dd>{rate}</dd>
                                    <dt>"Open safety flags"</dt><dd>{o.open_safety_flags}</dd>
                                </dl>
                                <table class="data-table">
                                    <caption>"Check-ins per week"</caption>
                                    <thead><tr><th scope="col">"Week of"</th><th scope="col">"Check-ins"</th></tr></thead>
                                    <tbody>
                                        {o.check_ins_per_week.into_iter().map(|(w, n)| view! { <tr><td>{w}</td><td>{n}</td></tr> }).collect_view()}
                                    </tbody>
                                </table>
                            })
                        }
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}
