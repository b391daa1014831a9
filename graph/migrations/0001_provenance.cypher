// Lookups that ingestion and entity resolution make on every batch.
CREATE INDEX asserts_key IF NOT EXISTS FOR ()-[a:ASSERTS]-() ON (a.key);
CREATE CONSTRAINT person_key_key IF NOT EXISTS FOR (k:PersonKey) REQUIRE k.key IS UNIQUE;
CREATE INDEX organisation_ods_code IF NOT EXISTS FOR (o:Organisation) ON (o.odsCode);
CREATE INDEX sync_run_source IF NOT EXISTS FOR (r:SyncRun) ON (r.source, r.startedAt);
