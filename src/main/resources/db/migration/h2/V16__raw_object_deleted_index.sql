-- raw_object_deleted cost every archived object an index entry (a third of what writing one costs), for a look-up
-- the daily retention run makes once: it now reads the table instead. (PostgreSQL keeps a partial index instead.)
DROP INDEX raw_object_deleted;
