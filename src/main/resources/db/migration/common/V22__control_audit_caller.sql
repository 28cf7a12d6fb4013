-- Who ran each operator action and through what (db/migration/common: the same SQL on H2 and PostgreSQL): the
-- authenticated user, or the address the call came from; jmx, jolokia or cli. Rows from before say nothing (NULL).
ALTER TABLE control_audit ADD COLUMN caller VARCHAR(255);
ALTER TABLE control_audit ADD COLUMN channel VARCHAR(16);
