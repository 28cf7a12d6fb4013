-- raw_hash: the content hash the raw archive holds, live, for the vendor object a record was mapped from, in the
-- record's stream (NULL when unknown: the archive was off, or the record is deleted). Written in the transaction that
-- writes raw_object, so an object whose hash matches it needs no look-up in raw_object: an unchanged re-sync reads
-- one row a record, not two.
ALTER TABLE record_index ADD COLUMN raw_hash CHAR(64);
