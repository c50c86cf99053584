//! The consent page partners sign before anything else opens, the administrator's page that
//! edits the consent, and a signature's printable record.

use super::api::{PublishConsent, SignConsent, consent_admin, consent_record, read_consent};
use super::{ConsentStatus, ConsentToSign, MAX_BODY, MAX_NAME};
use crate::components::{ActionError, Notice, ReturnTo, SignedIn, error_of, load_error};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The text as written: a blank line between paragraphs; a paragraph's first line is its
/// heading when more lines follow it.
#[component]
pub fn ConsentText(body: String) -> impl IntoView {
    let parts = body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let p = p.trim().to_string();
            match p.split_once('\n') {
                Some((head, rest)) => Either::Left(view! {
                    <h3>{head.to_string()}</h3>
                    {rest.lines().map(|l| view! { <p>{l.to_string()}</p> }).collect_view()}
                }),
                None => Either::Right(view! { <p>{p}</p> }),
            }
        })
        .collect_view();
    view! { <div class="consent-text prose">{parts}</div> }
}

/// `/consent`: the practice's current consent; a partner who has not signed it signs here.
#[component]
pub fn ConsentPage() -> impl IntoView {
    let consent = Resource::new_blocking(|| (), |_| read_consent());
    view! {
        <SignedIn>
            <Title text="Consent · Trellis" />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match consent.await {
                        Ok(c) => Either::Left(view! { <ConsentView consent=c /> }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
fn ConsentView(consent: ConsentToSign) -> impl IntoView {
    let sign = ServerAction::<SignConsent>::new();
    let welcome = use_query_map().read_untracked().get("welcome").is_some();
    let version = consent.current.version;
    let signed_current = consent
        .signed
        .as_ref()
        .is_some_and(|(v, _, _)| *v == version);
    let asks_again = consent
        .signed
        .as_ref()
        .is_some_and(|(v, _, _)| *v < version);
    let signed_note = consent
        .signed
        .clone()
        .filter(|_| signed_current)
        .map(|(v, on, id)| {
            view! {
                <p class="message message-info" role="status">
                    {format!("You signed version {v} on {on}. ")}
                    <a href=format!("/consent/records/{id}")>"Your signature's record"</a>
                </p>
            }
        });
    let form = (consent.is_partner && !signed_current).then(|| view! {
        <section class="consent-sign" aria-labelledby="sign-heading">
            <h2 id="sign-heading">"Sign"</h2>
            <ActionForm action=sign attr:class="form-stack">
                <ReturnTo />
                <ActionError error=error_of(sign) />
                <input type="hidden" name="version" value=version.to_string() />
                {welcome.then(|| view! { <input type="hidden" name="then" value="welcome" /> })}
                <div class="checkbox">
                    <input id="consent-agree" type="checkbox" name="agree" value="on" required />
                    <label for="consent-agree">"I have read and agree"</label>
                </div>
                <label for="consent-name">"Your full name"</label>
                <input id="consent-name" name="full_name" required autocomplete="name"
                    maxlength=MAX_NAME.to_string() aria-describedby="consent-name-help" />
                <p id="consent-name-help" class="help">"Typing your name is your signature. Trellis keeps it with the time, your internet address, the version and a fingerprint (SHA-256) of the exact text you signed."</p>
                <button type="submit" class="button-primary">"Sign the consent"</button>
            </ActionForm>
        </section>
    });
    view! {
        <h1>"Consent for counselling"</h1>
        {(consent.is_partner && !signed_current).then(|| view! {
            <p class="lead">{if asks_again {
                "Your practice has updated its consent. Please read the new version and sign it to continue."
            } else {
                "Before you start, please read how your counselling and your records work, then sign below. Everything else opens once you have signed."
            }}</p>
        })}
        {signed_note}
        <p class="muted">{format!("Version {} \u{b7} published {}", version, consent.current.published)}</p>
        <ConsentText body=consent.current.body />
        {form}
        <p>"If you or someone else is in danger now, "<a href="/help">"get help now"</a>"."</p>
    }
}

/// The consent line for each partner on the case page, with a link to each signature's
/// printable record.
#[component]
pub fn ConsentStatusPanel(statuses: Vec<ConsentStatus>) -> impl IntoView {
    view! {
        <section id="consent" aria-labelledby="consent-heading">
            <h2 id="consent-heading">"Consent"</h2>
            <ul class="consent-status">
                {statuses.into_iter().map(|s| {
                    let sentence = s.sentence();
                    let link = s.signed.clone().map(|(v, _, id)| view! {
                        " " <a href=format!("/consent/records/{id}")>{format!("Record of version {v}")}</a>
                    });
                    view! { <li>{sentence}{link}</li> }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// `/consent/records/:id`: one signature, printable.
#[component]
pub fn ConsentRecordPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let record = Resource::new_blocking(id, consent_record);
    view! {
        <SignedIn>
            <Title text="Consent signature · Trellis" />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match record.await {
                        Ok(r) => Either::Left(view! {
                            <article class="consent-record">
                                <h1>"Record of a consent signature"</h1>
                                <dl class="facts">
                                    <dt>"Signed by"</dt><dd>{r.signer_account_name}</dd>
                                    <dt>"Name typed as signature"</dt><dd>{r.typed_name}</dd>
                                    <dt>"Signed at"</dt><dd>{r.signed_at}</dd>
                                    <dt>"From address"</dt><dd>{r.ip.unwrap_or_else(|| "Not known".into())}</dd>
                                    <dt>"Consent version"</dt><dd>{r.version}</dd>
                                    <dt>"SHA-256 of the text signed"</dt><dd><code class="fingerprint">{r.sha256}</code></dd>
                                </dl>
                                <h2>"The text signed"</h2>
                                <ConsentText body=r.body />
                            </article>
                        }),
                        Err(err) => Either::Right(load_error(err)),
                    }
                })}
            </Suspense>
        </SignedIn>
    }
}

/// `/admin/consent`: the administrator edits the consent; publishing makes a new version.
#[component]
pub fn ConsentSettingsPage() -> impl IntoView {
    let settings = Resource::new_blocking(|| (), |_| consent_admin());
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let publish = ServerAction::<PublishConsent>::new();
    view! {
        <SignedIn>
            <Title text="Consent · Trellis" />
            <h1>"Consent"</h1>
            <p>"Every partner reads and signs this before anything else in Trellis opens to them. Publishing a change makes a new version: earlier versions and their signatures are kept as they were, and every partner is asked to sign the new one at their next visit. Trellis's default text is a careful starting point, not legal advice: adapt it to your practice and the law where you work."</p>
            {move || saved().then(|| view! { <Notice>"Published. Partners will be asked to sign this version."</Notice> })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => Either::Left(view! {
                            <p class="muted">{format!("Current: version {} \u{b7} published {}{}", s.current.version, s.current.published,
                                if s.is_default { " (Trellis's default text)" } else { "" })}</p>
                            <ActionForm action=publish attr:class="form-stack">
                                <ReturnTo />
                                <ActionError error=error_of(publish) />
                                <label for="consent-body">"Consent text"</label>
                                <textarea id="consent-body" name="body" rows="24" required
                                    maxlength=MAX_BODY.to_string() aria-describedby="consent-body-help">
                                    {crate::components::textarea_text(s.current.body.clone())}
                                </textarea>
                                <p id="consent-body-help" class="help">"Leave a blank line between paragraphs. A paragraph's first line shows as its heading when more lines follow it."</p>
                                <button type="submit" class="button-primary">"Publish as a new version"</button>
                            </ActionForm>
                            <h2>"Versions"</h2>
                            <ul>
                                {s.history.into_iter().map(|(v, on, by)| view! {
                                    <li>{format!("Version {v} \u{b7} {on} \u{b7} {by}")}</li>
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
