-- Informed consent: the practice's consent documents, each published version kept as it was
-- (never edited), and each partner's electronic signature of one exact version.
create table consent_version (
    consent_version_id text primary key,
    version bigint not null unique,
    body text not null,
    -- SHA-256 (hex) of the body exactly as published, what a signature vouches for.
    body_sha256 text not null,
    -- Null for the default text Trellis ships.
    published_by text references app_user (app_user_id),
    published_at bigint not null
);

create table consent_signature (
    consent_signature_id text primary key,
    app_user_id text not null references app_user (app_user_id),
    consent_version_id text not null references consent_version (consent_version_id),
    version bigint not null,
    -- The full name the partner typed as their signature.
    typed_name text not null,
    signed_at bigint not null,
    ip text,
    body_sha256 text not null,
    unique (app_user_id, version)
);

create index consent_signature_user on consent_signature (app_user_id, version);

create function consent_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'published consent versions and signatures cannot be changed or deleted';
end;
$$;

create trigger consent_version_append_only before update or delete on consent_version
for each row execute function consent_append_only();

create trigger consent_signature_append_only before update or delete on consent_signature
for each row execute function consent_append_only();
