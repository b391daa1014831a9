// Members' contributions (issue 18): submissions, their decisions and their uploaded files.
CREATE CONSTRAINT submission_id IF NOT EXISTS FOR (n:Submission) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT stored_file_id IF NOT EXISTS FOR (n:File) REQUIRE n.id IS UNIQUE;
CREATE INDEX submission_submitter IF NOT EXISTS FOR (n:Submission) ON (n.submitter);
CREATE INDEX submission_status_partner IF NOT EXISTS FOR (n:Submission) ON (n.status, n.partner);
CREATE INDEX submission_source IF NOT EXISTS FOR (n:Submission) ON (n.source);
