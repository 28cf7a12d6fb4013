-- How many times a slot was taken, ever. A process that takes an account's slot (one session per credentials:
-- Absorb) and finds it taken by someone else since it last held it knows its cached token was revoked by another
-- login, and logs in again before its first call instead of spending a call on a refused token.
ALTER TABLE stream_slot ADD COLUMN claims BIGINT DEFAULT 0 NOT NULL;
