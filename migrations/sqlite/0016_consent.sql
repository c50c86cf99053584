-- Informed consent: the practice's consent documents, each published version kept as it was
-- (never edited), and each partner's electronic signature of one exact version.
create table consent_version (
    consent_version_id text primary key,
    version integer not null unique,
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
    version integer not null,
    -- The full name the partner typed as their signature.
    typed_name text not null,
    signed_at bigint not null,
    ip text,
    body_sha256 text not null,
    unique (app_user_id, version)
);

create index consent_signature_user on consent_signature (app_user_id, version);

create trigger consent_version_no_update before update on consent_version
begin
    select raise(abort, 'a published consent version cannot be changed');
end;

create trigger consent_version_no_delete before delete on consent_version
begin
    select raise(abort, 'a published consent version cannot be deleted');
end;

create trigger consent_signature_no_update before update on consent_signature
begin
    select raise(abort, 'a consent signature cannot be changed');
end;

create trigger consent_signature_no_delete before delete on consent_signature
begin
    select raise(abort, 'a consent signature cannot be deleted');
end;
