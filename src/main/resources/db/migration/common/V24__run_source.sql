-- One name per idea: what a run's stream belongs to is its source (a vendor may have several: Continu's Open API and
-- its Reporting API), as in the metric labels, the MBean names and the canonical record.
ALTER TABLE sync_run RENAME COLUMN vendor TO source;
