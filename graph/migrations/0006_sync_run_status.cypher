// Runs still marked running are looked up when a sync or a scheduler round starts, to close
// those abandoned (graph/ingest/runs.py): found by status, not by walking every run.
CREATE INDEX sync_run_status IF NOT EXISTS FOR (r:SyncRun) ON (r.status);
