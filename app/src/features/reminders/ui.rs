//! `/settings`: a person's own settings (for now, reminder emails).

use super::api::{SetEmailReminders, SetTimeZone, my_reminder_settings};
use crate::components::ReturnTo;
use crate::components::{ActionError, Notice, SignedIn, error_of, load_error};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SettingsPage() -> impl IntoView {
    // One resource for the whole page: a resource created inside another's `Suspense` can
    // leave a server-rendered page waiting forever.
    let settings = Resource::new_blocking(
        || (),
        |_| async {
            let settings = my_reminder_settings().await?;
            let places = if settings.is_counselor {
                Some(crate::features::sessions::api::session_places().await?)
            } else {
                None
            };
            Ok::<_, crate::error::AppError>((settings, places))
        },
    );
    let action = ServerAction::<SetEmailReminders>::new();
    let zone_action = ServerAction::<SetTimeZone>::new();
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    view! {
        <SignedIn>
            <Title text="Settings · Trellis" />
            <h1>"Settings"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok((s, places)) => Either::Left(view! {
                            <section aria-labelledby="reminders-heading" class="card">
                                <h2 id="reminders-heading">"Reminder emails"</h2>
                                {move || saved().then(|| view! { <Notice>"Settings saved."</Notice> })}
                                <p>
                                    {if s.is_counselor {
                                        "Trellis can email you a daily summary when partners on your caseload have submitted homework."
                                    } else {
                                        "Trellis can email you before each of your sessions, when a session is moved or cancelled, when your check-in is due, when homework is due tomorrow or past its due date, and when your counselor leaves you feedback."
                                    }}
                                    " Emails go to " <strong>{s.email.clone()}</strong>
                                    " and never contain what anyone wrote: only a link that asks you to sign in."
                                </p>
                                {(!s.mail_enabled).then(|| view! {
                                    <p class="help">"Your practice has not set up email yet, so nothing is sent for now. Your choice is kept for when it does."</p>
                                })}
                                <ActionForm action=action attr:class="form-stack">
                                    <ReturnTo />
                                    <ActionError error=error_of(action) />
                                    <fieldset>
                                        <legend>"Send me reminder emails"</legend>
                                        <label class="choice">
                                            <input type="radio" name="email_reminders" value="on" checked=s.email_reminders />
                                            " Yes, send me reminders"
                                        </label>
                                        <label class="choice">
                                            <input type="radio" name="email_reminders" value="off" checked=!s.email_reminders />
                                            " No, no reminder emails"
                                        </label>
                                    </fieldset>
                                    {(!s.is_counselor).then(|| view! {
                                        <label for="session_reminder_hours">"Remind me of a session"</label>
                                        <select id="session_reminder_hours" name="session_reminder_hours">
                                            {super::LEAD_HOURS.iter().map(|h| view! {
                                                <option value=h.to_string() selected=*h == s.session_reminder_hours>{lead_label(*h)}</option>
                                            }).collect_view()}
                                        </select>
                                    })}
                                    <button type="submit" class="button-primary">"Save settings"</button>
                                </ActionForm>
                            </section>
                            <section aria-labelledby="zone-heading" class="card">
                                <h2 id="zone-heading">"Time zone"</h2>
                                <p>"Session times are shown in this time zone."</p>
                                <ActionForm action=zone_action attr:class="form-stack">
                                    <ReturnTo />
                                    <ActionError error=error_of(zone_action) />
                                    <label for="time_zone">"Your time zone"</label>
                                    <select id="time_zone" name="time_zone">
                                        {s.time_zones.iter().map(|z| view! {
                                            <option value=z.clone() selected=*z == s.time_zone>{z.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                    <button type="submit" class="button-primary">"Save time zone"</button>
                                </ActionForm>
                            </section>
                            {places.map(|places| view! { <crate::features::sessions::ui::MeetingLinkSection places=places /> })}
                            <crate::features::sign_in::two_factor::TwoFactorLink />
                        }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
            // Its own resource and Suspense, beside the settings above rather than in them.
            <crate::features::passwords::ui::ChangePasswordSection />
            <crate::features::calendar::ui::CalendarSection />
        </SignedIn>
    }
}

/// How the settings page names a lead time.
fn lead_label(hours: i64) -> String {
    match hours {
        2 => "2 hours before".into(),
        24 => "1 day (24 hours) before".into(),
        48 => "2 days (48 hours) before".into(),
        h => format!("{h} hours before"),
    }
}
