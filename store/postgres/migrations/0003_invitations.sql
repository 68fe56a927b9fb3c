-- Invitation ledger (package invitation): one row per account that has recorded an invitation,
-- holding its home market and the last sequence number handed out; the row a ledger locks while
-- it reads the account's usage and records an invitation (INV-11).
CREATE TABLE affrules_invitation_accounts (
    account text   PRIMARY KEY,
    home    text   NOT NULL,
    seq     bigint NOT NULL DEFAULT 0 CHECK (seq >= 0)
);

-- One row per recorded invitation (INV-9), the invitation as JSON beside the columns the quotas
-- and the history read. Instants are timestamptz for SQL readers and, exactly, Unix nanoseconds
-- (at_ns, interested_ns), which the ledger reads and compares: timestamptz keeps microseconds.
CREATE TABLE affrules_invitations (
    account       text        NOT NULL REFERENCES affrules_invitation_accounts (account),
    seq           bigint      NOT NULL CHECK (seq >= 1),
    at            timestamptz NOT NULL,
    at_ns         bigint      NOT NULL,
    creator       text        NOT NULL,
    username      text        NOT NULL,
    nickname      text        NOT NULL,
    market        text        NOT NULL,
    purpose       text        NOT NULL,
    interested_at timestamptz,            -- NULL until the creator answers (INV-10)
    interested_ns bigint,
    data          jsonb       NOT NULL,
    PRIMARY KEY (account, seq)
);
CREATE INDEX affrules_invitations_day ON affrules_invitations (account, at_ns);
CREATE INDEX affrules_invitations_creator ON affrules_invitations (account, creator, at_ns);
